package io.hvprobe.kvm.smccc;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.kvm.abi.Smccc;
import io.hvprobe.kvm.call.Answer;
import io.hvprobe.kvm.finding.Findings;
import io.hvprobe.kvm.finding.Rules;
import io.hvprobe.kvm.profile.KvmProfile;
import io.hvprobe.kvm.profile.SmcccVersion;
import io.hvprobe.kvm.state.CpuPower;
import io.hvprobe.kvm.state.EntropySource;
import io.hvprobe.kvm.state.HostClock;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.hvprobe.kvm.finding.Findings.hex;

/**
 * Answers SMCCC calls over {@code hvc #0} and {@code smc #0} as KVM does: Arm architecture calls, PSCI, TRNG and KVM's
 * vendor hypervisor service. Results go to X0..X3 (KVM writes all four; unused ones become 0); under SMCCC 1.0 the
 * answer also overwrites X4..X17 with a recognisable value, because that convention lets firmware change them.
 */
public final class SmcccCalls {
    /** What X4..X17 hold after an SMCCC 1.0 call: {@code 0x0bad5ccc0000000n}, n the register number. */
    public static final long V1_0_SCRATCH = 0x0bad_5ccc_0000_0000L;
    private static final int TRNG_MAX_BITS_32 = 96;
    private static final int TRNG_MAX_BITS_64 = 192;

    private final KvmProfile profile;
    private final HostClock clock;
    private final EntropySource entropy;
    private final CpuPower cpus;

    /** Answers for {@code profile} with the session's state. */
    public SmcccCalls(KvmProfile profile, HostClock clock, EntropySource entropy, CpuPower cpus) {
        this.profile = profile;
        this.clock = clock;
        this.entropy = entropy;
        this.cpus = cpus;
    }

    /** A call's results in X0..X3 and its findings. */
    private record Result(long[] x, List<Finding> findings, String summary) {
        static Result of(long x0) {
            return new Result(new long[] {x0, 0, 0, 0}, List.of(), "x0=" + x0);
        }

        static Result of(long x0, Finding f) {
            return new Result(new long[] {x0, 0, 0, 0}, List.of(f), "x0=" + x0);
        }
    }

    /**
     * The answer to an SMCCC call with {@code regs} on {@code path} ({@code hvc} or {@code smc}) whose instruction
     * has {@code immediate}.
     */
    public Answer answer(String path, int immediate, RegisterSnapshot regs) {
        FunctionId id = new FunctionId(regs.get(Arm64Register.X0));
        SmcccVersion version = profile.smccc();
        if (immediate != 0) {
            return unknown(path, id, Findings.of(Rules.IMMEDIATE, path + " #" + hex(immediate)
                    + ": SMCCC calls use immediate 0", "immediate", hex(immediate)));
        }
        if (id.reservedBitsSet()) {
            return unknown(path, id, Findings.of(Rules.RESERVED_BITS, "function ID " + id
                    + " sets reserved bits 23:16", "register", "w0", "observed", id.toString()));
        }
        Optional<SmcccFunction> known = SmcccFunction.of(id);
        if (known.isEmpty()) {
            return unknown(path, id, Findings.of(Rules.FUNCTION_UNKNOWN, "function ID " + id + " ("
                    + (id.fast() ? "fast" : "yielding") + ", " + (id.conv64() ? "SMC64" : "SMC32") + ", owner "
                    + id.owner() + ") is not implemented; answered NOT_SUPPORTED", "register", "w0", "observed",
                    id.toString()));
        }
        SmcccFunction f = known.get();
        Result r = call(f, regs);
        Answer a = answer(f.name(), SmcccContracts.of(f, path, version), r);
        return f.returns() ? a : a.withoutReturn();
    }

    private Answer unknown(String path, FunctionId id, Finding finding) {
        return answer("SMCCC " + id, SmcccContracts.unknown(path, profile.smccc()),
                Result.of(Smccc.RET_NOT_SUPPORTED, finding));
    }

    private Answer answer(String command, RegisterContract contract, Result r) {
        List<RegisterWrite> writes = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            writes.add(RegisterWrite.w64(Arm64Register.x(n), r.x[n]));
        }
        if (!profile.smccc().preservesX4ToX17()) {
            for (int n = 4; n <= 17; n++) {
                writes.add(RegisterWrite.w64(Arm64Register.x(n), V1_0_SCRATCH | n));
            }
        }
        return new Answer(command, writes, List.of(), r.findings, contract, r.summary);
    }

    private Result call(SmcccFunction f, RegisterSnapshot regs) {
        long a1 = regs.get(Arm64Register.X1) & f.id().argumentMask();
        long a2 = regs.get(Arm64Register.X2) & f.id().argumentMask();
        boolean arch = profile.smccc().hasArchCalls();
        return switch (f) {
            case SMCCC_VERSION -> Result.of(arch ? profile.smccc().encoded() : Smccc.RET_NOT_SUPPORTED);
            case SMCCC_ARCH_FEATURES -> Result.of(arch ? archFeature(a1) : Smccc.RET_NOT_SUPPORTED);
            case SMCCC_ARCH_WORKAROUND_1, SMCCC_ARCH_WORKAROUND_2, SMCCC_ARCH_WORKAROUND_3 ->
                    Result.of(arch ? Smccc.RET_SUCCESS : Smccc.RET_NOT_SUPPORTED);
            case PSCI_VERSION -> Result.of(profile.psciVersion());
            case PSCI_CPU_SUSPEND, PSCI_CPU_SUSPEND_64 -> Result.of(Smccc.RET_SUCCESS);
            // The run ends at these (SmcccFunction.returns), with X0 as KVM leaves it (psci.c, kvm_psci_0_2_call):
            // SUCCESS for CPU_OFF, INTERNAL_FAILURE for SYSTEM_OFF and SYSTEM_RESET in case the VMM resumes the vCPU.
            case PSCI_CPU_OFF -> Result.of(Smccc.RET_SUCCESS);
            case PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET -> Result.of(Smccc.PSCI_INTERNAL_FAILURE);
            case PSCI_CPU_ON, PSCI_CPU_ON_64 -> cpuOn(a1);
            case PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO_64 -> affinityInfo(a1, a2);
            case PSCI_MIGRATE_INFO_TYPE -> Result.of(Smccc.PSCI_TOS_NOT_PRESENT_MP);
            case PSCI_FEATURES -> Result.of(psciFeature(a1));
            case TRNG_VERSION -> Result.of(Smccc.TRNG_VERSION_1_0);
            case TRNG_FEATURES -> Result.of(SmcccFunction.of(new FunctionId(a1)).filter(t -> t.name()
                    .startsWith("TRNG_")).isPresent() ? Smccc.RET_SUCCESS : Smccc.RET_NOT_SUPPORTED);
            case TRNG_GET_UUID -> new Result(Smccc.trngUuid(), List.of(), "uuid");
            case TRNG_RND32 -> random(a1, TRNG_MAX_BITS_32, 32);
            case TRNG_RND64 -> random(a1, TRNG_MAX_BITS_64, 64);
            case KVM_VENDOR_HYP_UID -> new Result(Smccc.kvmUid(), List.of(), "kvm uid");
            case KVM_FEATURES -> Result.of(Smccc.KVM_FEATURE_BITS);
            case KVM_PTP -> ptp(a1);
        };
    }

    private static long archFeature(long fid) {
        if (fid == Smccc.ARCH_WORKAROUND_1 || fid == Smccc.ARCH_WORKAROUND_3) {
            return Smccc.RET_SUCCESS;
        }
        return fid == Smccc.ARCH_WORKAROUND_2 ? Smccc.RET_NOT_REQUIRED : Smccc.RET_NOT_SUPPORTED;
    }

    private long psciFeature(long fid) {
        if (fid == Smccc.VERSION) {
            return profile.smccc().hasArchCalls() ? Smccc.RET_SUCCESS : Smccc.RET_NOT_SUPPORTED;
        }
        return SmcccFunction.of(new FunctionId(fid)).filter(t -> t.name().startsWith("PSCI_")).isPresent()
                ? Smccc.RET_SUCCESS : Smccc.RET_NOT_SUPPORTED;
    }

    /** vCPU n has MPIDR affinity Aff0 = n and Aff1..Aff3 = 0. */
    private Result cpuOn(long mpidr) {
        if ((mpidr & ~0xFFL) != 0 || !cpus.exists(mpidr)) {
            return Result.of(Smccc.PSCI_INVALID_PARAMS, Findings.of(Rules.ARGUMENT_INVALID_SMCCC, "CPU_ON of MPIDR "
                    + hex(mpidr) + ", which is no CPU (there are " + profile.cpus() + ")", "register", "x1",
                    "observed", hex(mpidr)));
        }
        if (cpus.isOn(mpidr)) {
            return Result.of(Smccc.PSCI_ALREADY_ON);
        }
        cpus.set(mpidr, true);
        return Result.of(Smccc.RET_SUCCESS);
    }

    private Result affinityInfo(long target, long level) {
        if (level > 3) {
            return Result.of(Smccc.PSCI_INVALID_PARAMS, Findings.of(Rules.ARGUMENT_INVALID_SMCCC,
                    "AFFINITY_INFO lowest affinity level " + level + " is above 3", "register", "x2",
                    "observed", hex(level)));
        }
        // Level n ignores Aff0..Aff(n-1); every vCPU here has Aff1..Aff3 = 0. A target no vCPU matches is
        // INVALID_PARAMETERS, not OFF (psci.c, kvm_psci_vcpu_affinity_info).
        long ignored = level == 0 ? 0 : level == 3 ? 0xFF_FFFFL : (1L << (8 * level)) - 1;
        long wanted = target & ~ignored & 0xFF_00FF_FFFFL;
        boolean matched = false;
        for (int n = 0; n < profile.cpus(); n++) {
            if ((n & ~ignored) == wanted) {
                matched = true;
                if (cpus.isOn(n)) {
                    return Result.of(Smccc.PSCI_AFFINITY_ON);
                }
            }
        }
        return matched ? Result.of(Smccc.PSCI_AFFINITY_OFF) : Result.of(Smccc.PSCI_INVALID_PARAMS,
                Findings.of(Rules.ARGUMENT_INVALID_SMCCC, "AFFINITY_INFO of " + hex(target) + ", which names no CPU"
                        + " (there are " + profile.cpus() + ")", "register", "x1", "observed", hex(target)));
    }

    /**
     * {@code width}-bit words: W3/X3 holds bits 0..width-1, W2/X2 the next, W1/X1 the top; bits from N on are 0. KVM
     * refuses only N above the maximum (arch/arm64/kvm/trng.c, kvm_trng_do_rnd); N = 0 gives success and no bits.
     */
    private Result random(long bits, int max, int width) {
        if (bits > max) {
            return Result.of(Smccc.TRNG_INVALID_PARAMETER, Findings.of(Rules.ARGUMENT_INVALID_SMCCC,
                    "TRNG_RND" + width + " of " + bits + " bits: it gives at most " + max, "register", "x1",
                    "observed", hex(bits)));
        }
        long[] x = new long[4];
        long left = bits;
        for (int reg = 3; reg >= 1 && left > 0; reg--) {
            long word = width == 64 ? entropy.next() : entropy.next() & 0xFFFF_FFFFL;
            x[reg] = left >= width ? word : word & ((1L << left) - 1);
            left -= width;
        }
        return new Result(x, List.of(), bits + " random bits");
    }

    private Result ptp(long counter) {
        if (counter != Smccc.PTP_VIRT_COUNTER && counter != Smccc.PTP_PHYS_COUNTER) {
            return Result.of(Smccc.RET_NOT_SUPPORTED, Findings.of(Rules.ARGUMENT_INVALID_SMCCC, "KVM PTP counter "
                    + hex(counter) + " is neither virtual (0) nor physical (1)", "register", "x1",
                    "observed", hex(counter)));
        }
        HostClock.Reading now = clock.read();
        long cycles = now.cycles(profile.counterHz());
        return new Result(new long[] {now.wallNs() >>> 32, now.wallNs() & 0xFFFF_FFFFL, cycles >>> 32,
                cycles & 0xFFFF_FFFFL}, List.of(), "ns=" + now.wallNs() + " cycles=" + cycles);
    }
}
