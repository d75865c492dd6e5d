package io.hvprobe.kvm.x86;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.X86Register;
import io.hvprobe.kvm.abi.KvmX86;
import io.hvprobe.spi.RegisterContract;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The KVM hypercalls Linux makes, with their arguments: RAX = number, RBX, RCX, RDX, RSI = arguments in that order,
 * RAX = result; KVM preserves every other register (arch/x86/kvm/x86.c, kvm_emulate_hypercall).
 */
public enum X86Hypercall {
    VAPIC_POLL_IRQ(KvmX86.HC_VAPIC_POLL_IRQ, "poll the virtual APIC for a pending interrupt (answers 0)"),
    KICK_CPU(KvmX86.HC_KICK_CPU, "wake a vCPU halted in a paravirtual spinlock (answers 0)", "flags", "APIC id"),
    CLOCK_PAIRING(KvmX86.HC_CLOCK_PAIRING, "write struct kvm_clock_pairing (wall clock and TSC) at a guest address",
            "address of struct kvm_clock_pairing", "clock type (0 = wall clock)"),
    SEND_IPI(KvmX86.HC_SEND_IPI, "send an IPI to a bitmap of APIC ids; answers how many were sent",
            "APIC-id bitmap 63:0", "APIC-id bitmap 127:64", "lowest APIC id of the bitmap", "ICR"),
    SCHED_YIELD(KvmX86.HC_SCHED_YIELD, "yield to the vCPU with an APIC id (answers 0)", "APIC id"),
    MAP_GPA_RANGE(KvmX86.HC_MAP_GPA_RANGE, "change the encryption attribute of guest pages (SEV; needs the feature "
            + "bit)", "guest physical address", "pages", "attributes");

    /** The argument registers in order. */
    static final List<X86Register> ARGUMENTS = List.of(X86Register.RBX, X86Register.RCX, X86Register.RDX,
            X86Register.RSI);

    private final int number;
    private final String description;
    private final List<String> arguments;

    X86Hypercall(int number, String description, String... arguments) {
        this.number = number;
        this.description = description;
        this.arguments = List.of(arguments);
    }

    /** The hypercall number (RAX). */
    public int number() {
        return number;
    }

    /** {@code KVM_HC_...}. */
    public String displayName() {
        return "KVM_HC_" + name();
    }

    /** What it does, one sentence. */
    public String description() {
        return description;
    }

    /** The hypercall with number {@code rax}, if KVM has it. */
    public static Optional<X86Hypercall> of(long rax) {
        return Arrays.stream(values()).filter(h -> h.number == rax).findFirst();
    }

    /** The register contract of this hypercall on {@code path} ({@code vmcall} or {@code vmmcall}). */
    public RegisterContract contract(String path) {
        RegisterContract.Builder b = RegisterContract.builder(displayName() + " (" + path + ")", Arch.X86_64)
                .written(X86Register.RAX, -1L, 64, "hypercall number; result");
        for (int i = 0; i < arguments.size(); i++) {
            b.input(ARGUMENTS.get(i), -1L, arguments.get(i));
        }
        return b.build();
    }

    /** The contract of a number KVM does not know: RAX in, -KVM_ENOSYS out. */
    public static RegisterContract unknownContract(String path) {
        return RegisterContract.builder("unknown hypercall (" + path + ")", Arch.X86_64)
                .written(X86Register.RAX, -1L, 64, "hypercall number; -KVM_ENOSYS").build();
    }
}
