package io.hvprobe.kvm.x86;

import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.kvm.abi.KvmX86;
import io.hvprobe.kvm.call.Answer;
import io.hvprobe.kvm.finding.Findings;
import io.hvprobe.kvm.finding.Rules;
import io.hvprobe.kvm.profile.KvmProfile;
import io.hvprobe.kvm.state.HostClock;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterWrite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.hvprobe.kvm.finding.Findings.hex;

/**
 * Answers {@code vmcall}/{@code vmmcall} as KVM does in 64-bit mode at CPL 0. A guest physical address is taken as
 * a guest address: hvprobe runs guest code in one address space (docs/kvm-model.md).
 */
public final class X86Hypercalls {
    private static final long NULL_PAGE = 0x1000;
    private final KvmProfile profile;
    private final HostClock clock;

    /** Answers for {@code profile}, reading {@code clock}. */
    public X86Hypercalls(KvmProfile profile, HostClock clock) {
        this.profile = profile;
        this.clock = clock;
    }

    /** The answer to a hypercall with {@code regs} on {@code path}. */
    public Answer answer(String path, RegisterSnapshot regs, GuestMemoryView memory) {
        long rax = regs.get(X86Register.RAX);
        Optional<X86Hypercall> known = X86Hypercall.of(rax);
        if (known.isEmpty()) {
            return result("KVM_HC " + rax, X86Hypercall.unknownContract(path), -KvmX86.ENOSYS, List.of(),
                    List.of(Findings.of(Rules.HYPERCALL_UNKNOWN, "RAX = " + hex(rax) + " is no KVM hypercall number",
                            "register", "rax", "observed", hex(rax))));
        }
        X86Hypercall h = known.get();
        long a0 = regs.get(X86Register.RBX);
        long a1 = regs.get(X86Register.RCX);
        long a2 = regs.get(X86Register.RDX);
        return switch (h) {
            case VAPIC_POLL_IRQ, KICK_CPU, SCHED_YIELD -> result(h, path, 0, List.of(), List.of());
            case CLOCK_PAIRING -> clockPairing(h, path, a0, a1, memory);
            case SEND_IPI -> result(h, path, sentIpis(a0, a1, a2), List.of(), List.of());
            case MAP_GPA_RANGE -> mapGpaRange(h, path, a0, a1, a2);
        };
    }

    private Answer clockPairing(X86Hypercall h, String path, long gpa, long type, GuestMemoryView memory) {
        if (type != KvmX86.CLOCK_PAIRING_WALLCLOCK) {
            return result(h, path, -KvmX86.EOPNOTSUPP, List.of(), List.of(Findings.of(Rules.ARGUMENT_INVALID,
                    "clock type RCX = " + hex(type) + " is not KVM_CLOCK_PAIRING_WALLCLOCK (0)", "register", "rcx",
                    "observed", hex(type), "expected", "0x0")));
        }
        // Page 0 is refused although a real guest has RAM there: hvprobe has no guest-physical map, and a GPA of 0
        // is what an unset address or the kernel environment's slow_virt_to_phys stub gives, which would alias every
        // NULL-based pointer of the run (docs/kvm-model.md, "Addresses").
        if (Long.compareUnsigned(gpa, NULL_PAGE) < 0 || !memory.isWritable(gpa, KvmX86.CLOCK_PAIRING_SIZE)) {
            return result(h, path, -KvmX86.EFAULT, List.of(), List.of(Findings.of(Rules.ARGUMENT_INVALID,
                    "RBX = " + hex(gpa) + " is no writable guest memory for struct kvm_clock_pairing (64 bytes); "
                            + "answered -KVM_EFAULT", "register", "rbx", "observed", hex(gpa))));
        }
        HostClock.Reading now = clock.read();
        ByteBuffer b = ByteBuffer.allocate(KvmX86.CLOCK_PAIRING_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(now.seconds()).putLong(now.nanos()).putLong(now.cycles(profile.tscHz())).putInt(0);
        return new Answer(h.displayName(), List.of(RegisterWrite.w64(X86Register.RAX, 0)),
                List.of(new MemoryWrite(gpa, b.array())), List.of(), h.contract(path),
                "sec=" + now.seconds() + " nsec=" + now.nanos() + " tsc=" + now.cycles(profile.tscHz()));
    }

    /** IPIs go to the APIC ids in the 128-bit bitmap, offset by the lowest id, that name an existing vCPU. */
    private long sentIpis(long low, long high, long min) {
        long sent = 0;
        for (int bit = 0; bit < 128; bit++) {
            long word = bit < 64 ? low : high;
            if ((word >>> (bit & 63) & 1) != 0 && min >= 0 && min + bit < profile.cpus()) {
                sent++;
            }
        }
        return sent;
    }

    private Answer mapGpaRange(X86Hypercall h, String path, long gpa, long pages, long attrs) {
        if ((profile.x86Features() & (1L << KvmX86.FEATURE_HC_MAP_GPA_RANGE)) == 0) {
            return result(h, path, -KvmX86.ENOSYS, List.of(), List.of(Findings.of(Rules.HYPERCALL_NOT_ADVERTISED,
                    h.displayName() + " used but CPUID 0x40000001 does not offer KVM_FEATURE_HC_MAP_GPA_RANGE in "
                            + "profile " + profile.name(), "profile", profile.name())));
        }
        List<Finding> findings = new ArrayList<>();
        // KVM checks alignment, a non-empty range and that the range does not wrap (x86.c, __kvm_emulate_hypercall);
        // the attributes go to the VMM unchecked.
        long gfn = gpa >>> 12;
        if ((gpa & 0xFFF) != 0 || pages == 0 || Long.compareUnsigned(gfn + pages, gfn) <= 0) {
            findings.add(Findings.of(Rules.ARGUMENT_INVALID, "MAP_GPA_RANGE(" + hex(gpa) + ", " + pages + ", "
                    + hex(attrs) + "): address not page-aligned, no pages or a range that wraps", "register", "rbx"));
            return result(h, path, -KvmX86.EINVAL, List.of(), findings);
        }
        return result(h, path, 0, List.of(), findings);
    }

    private static Answer result(X86Hypercall h, String path, long rax, List<MemoryWrite> memory,
                                 List<Finding> findings) {
        return result(h.displayName(), h.contract(path), rax, memory, findings);
    }

    private static Answer result(String command, io.hvprobe.spi.RegisterContract contract, long rax,
                                 List<MemoryWrite> memory, List<Finding> findings) {
        return new Answer(command, List.of(RegisterWrite.w64(X86Register.RAX, rax)), memory, findings, contract,
                "rax=" + rax);
    }
}
