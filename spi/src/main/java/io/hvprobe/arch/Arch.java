package io.hvprobe.arch;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The guest instruction-set architectures hvprobe runs, with the calling-convention facts (System V for x86_64,
 * AAPCS64 for arm64) that the guest machine and the verifier need: the one place for them.
 */
public enum Arch {
    /** x86_64 in 64-bit long mode. */
    X86_64,
    /** AArch64 (arm64). */
    ARM64;

    private static final Set<GuestRegister> X86_CALLEE_SAVED = Collections.unmodifiableSet(EnumSet.of(
            X86Register.RBX, X86Register.RBP, X86Register.RSP, X86Register.R12, X86Register.R13, X86Register.R14,
            X86Register.R15));
    private static final Set<GuestRegister> ARM64_CALLEE_SAVED = Collections.unmodifiableSet(EnumSet.of(
            Arm64Register.X19, Arm64Register.X20, Arm64Register.X21, Arm64Register.X22, Arm64Register.X23,
            Arm64Register.X24, Arm64Register.X25, Arm64Register.X26, Arm64Register.X27, Arm64Register.X28,
            Arm64Register.X29, Arm64Register.SP));
    private static final List<GuestRegister> X86_ARGUMENTS = List.of(X86Register.RDI, X86Register.RSI,
            X86Register.RDX, X86Register.RCX, X86Register.R8, X86Register.R9);
    private static final List<GuestRegister> ARM64_ARGUMENTS = List.of(Arm64Register.X0, Arm64Register.X1,
            Arm64Register.X2, Arm64Register.X3, Arm64Register.X4, Arm64Register.X5, Arm64Register.X6,
            Arm64Register.X7);
    // Built once: snapshots and the trap path ask for them on every hypercall.
    private static final List<X86Register> X86_REGISTERS = List.of(X86Register.values());
    private static final List<Arm64Register> ARM64_REGISTERS = List.of(Arm64Register.values());

    /** {@return the architecture's general registers, program counter and flags, in snapshot order} */
    public List<? extends GuestRegister> registers() {
        return switch (this) {
            case X86_64 -> X86_REGISTERS;
            case ARM64 -> ARM64_REGISTERS;
        };
    }

    /** {@return the program-counter register} */
    public GuestRegister programCounter() {
        return switch (this) {
            case X86_64 -> X86Register.RIP;
            case ARM64 -> Arm64Register.PC;
        };
    }

    /** {@return the stack-pointer register} */
    public GuestRegister stackPointer() {
        return switch (this) {
            case X86_64 -> X86Register.RSP;
            case ARM64 -> Arm64Register.SP;
        };
    }

    /** {@return the flags register (RFLAGS or NZCV)} */
    public GuestRegister flags() {
        return switch (this) {
            case X86_64 -> X86Register.RFLAGS;
            case ARM64 -> Arm64Register.NZCV;
        };
    }

    /** {@return the register an integer or pointer return value is in (RAX, X0)} */
    public GuestRegister returnRegister() {
        return switch (this) {
            case X86_64 -> X86Register.RAX;
            case ARM64 -> Arm64Register.X0;
        };
    }

    /** {@return the integer argument registers, in order (System V: RDI..R9; AAPCS64: X0..X7)} */
    public List<GuestRegister> argumentRegisters() {
        return switch (this) {
            case X86_64 -> X86_ARGUMENTS;
            case ARM64 -> ARM64_ARGUMENTS;
        };
    }

    /** {@return the registers a function must return unchanged, the stack pointer included} */
    public Set<GuestRegister> calleeSaved() {
        return switch (this) {
            case X86_64 -> X86_CALLEE_SAVED;
            case ARM64 -> ARM64_CALLEE_SAVED;
        };
    }
}
