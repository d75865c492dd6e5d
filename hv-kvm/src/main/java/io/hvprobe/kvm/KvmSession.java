package io.hvprobe.kvm;

import io.hvprobe.arch.X86Register;
import io.hvprobe.kvm.profile.KvmProfile;
import io.hvprobe.kvm.smccc.SmcccCalls;
import io.hvprobe.kvm.state.CpuPower;
import io.hvprobe.kvm.state.EntropySource;
import io.hvprobe.kvm.state.HostClock;
import io.hvprobe.kvm.x86.KvmCpuid;
import io.hvprobe.kvm.x86.X86Hypercalls;
import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.SessionState;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;

import java.util.List;
import java.util.Optional;

/**
 * One run of the KVM model: x86 {@code vmcall}/{@code vmmcall} and KVM's CPUID leaves, arm64 SMCCC calls over
 * {@code hvc #0}/{@code smc #0}. State: the host clock, the TRNG generator and which vCPUs are on. Port I/O,
 * TDCALL, RDPMC, BRK and trapped system registers are not KVM's ({@link TrapOutcome#NOT_MINE}).
 */
final class KvmSession implements HypervisorSession {
    private final KvmProfile profile;
    private final HostClock clock = new HostClock();
    private final EntropySource entropy;
    private final CpuPower cpus;
    private final X86Hypercalls x86;
    private final SmcccCalls smccc;

    /** A captured session: a detached copy nothing runs on. */
    private record Captured(KvmSession copy) implements SessionState {
    }

    /** A session running {@code profile}. */
    public KvmSession(KvmProfile profile) {
        this.profile = profile;
        this.entropy = new EntropySource(profile.seed());
        this.cpus = new CpuPower(profile.cpus());
        this.x86 = new X86Hypercalls(profile, clock);
        this.smccc = new SmcccCalls(profile, clock, entropy, cpus);
    }

    @Override
    public String profile() {
        return profile.name();
    }

    /** The full configuration. */
    public KvmProfile configuration() {
        return profile;
    }

    @Override
    public TrapOutcome handle(TrapEvent event, GuestMemoryView memory) {
        return switch (event.form()) {
            case VMCALL -> x86.answer("vmcall", event.registers(), memory).outcome();
            case VMMCALL -> x86.answer("vmmcall", event.registers(), memory).outcome();
            case HVC, SMC -> event.detail() instanceof TrapDetail.ExceptionCall c
                    ? smccc.answer(event.form() == io.hvprobe.spi.TrapForm.HVC ? "hvc" : "smc", c.immediate(),
                    event.registers()).outcome()
                    : TrapOutcome.NOT_MINE;
            case CPUID -> cpuid(event);
            case IN, OUT, INS, OUTS, TDCALL, RDPMC, BRK, MRS, MSR -> TrapOutcome.NOT_MINE;
        };
    }

    private TrapOutcome cpuid(TrapEvent event) {
        if (!(event.detail() instanceof TrapDetail.Cpuid c)) {
            return TrapOutcome.NOT_MINE;
        }
        long leaf = c.leaf() & 0xFFFF_FFFFL;
        Optional<long[]> answer = KvmCpuid.answer(profile, leaf);
        if (answer.isEmpty()) {
            return TrapOutcome.NOT_MINE;
        }
        long[] v = answer.get();
        RegisterContract contract = RegisterContract.builder("CPUID", io.hvprobe.arch.Arch.X86_64)
                .written(X86Register.RAX, 0xFFFF_FFFFL, 32, "leaf; out")
                .written(X86Register.RBX, 0, 32, "out").written(X86Register.RCX, 0xFFFF_FFFFL, 32, "subleaf; out")
                .written(X86Register.RDX, 0, 32, "out").build();
        return new TrapOutcome.Handled("CPUID 0x" + Long.toHexString(leaf), List.of(
                RegisterWrite.w32(X86Register.RAX, v[0]), RegisterWrite.w32(X86Register.RBX, v[1]),
                RegisterWrite.w32(X86Register.RCX, v[2]), RegisterWrite.w32(X86Register.RDX, v[3])), List.of(),
                List.of(), Optional.of(contract), "eax=0x" + Long.toHexString(v[0]));
    }

    /** {@inheritDoc} The clock's readings, the TRNG generator and the vCPUs' power states. */
    @Override
    public SessionState capture() {
        KvmSession copy = new KvmSession(profile);
        copy.copyFrom(this);
        return new Captured(copy);
    }

    @Override
    public void restore(SessionState state) {
        if (!(state instanceof Captured(KvmSession from)) || !from.profile.equals(profile)) {
            throw new IllegalArgumentException("session state captured by another model or profile");
        }
        copyFrom(from);
    }

    private void copyFrom(KvmSession other) {
        clock.copyFrom(other.clock);
        entropy.copyFrom(other.entropy);
        cpus.copyFrom(other.cpus);
    }
}
