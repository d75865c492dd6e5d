package io.hvprobe.arch;

/** The guest instruction-set architectures hvprobe runs. */
public enum Arch {
    /** x86_64 in 64-bit long mode. */
    X86_64,
    /** AArch64 (arm64). */
    ARM64;

    /** The architecture's general registers, program counter and flags, in snapshot order. */
    public java.util.List<? extends GuestRegister> registers() {
        return switch (this) {
            case X86_64 -> java.util.List.of(X86Register.values());
            case ARM64 -> java.util.List.of(Arm64Register.values());
        };
    }

    /** The program-counter register. */
    public GuestRegister programCounter() {
        return this == X86_64 ? X86Register.RIP : Arm64Register.PC;
    }

    /** The stack-pointer register. */
    public GuestRegister stackPointer() {
        return this == X86_64 ? X86Register.RSP : Arm64Register.SP;
    }

    /** The flags register (RFLAGS or NZCV). */
    public GuestRegister flags() {
        return this == X86_64 ? X86Register.RFLAGS : Arm64Register.NZCV;
    }
}
