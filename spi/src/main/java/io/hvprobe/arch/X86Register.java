package io.hvprobe.arch;

/** x86_64 general registers, RIP and RFLAGS. */
public enum X86Register implements GuestRegister {
    /** Accumulator: the System V return register, and EAX carries the VMware backdoor's magic number. */
    RAX,
    /** Callee-saved; the VMware backdoor's first parameter and a result register. */
    RBX,
    /** Fourth System V argument; the VMware backdoor's command number. */
    RCX,
    /** Third System V argument; DX is the I/O port of an {@code IN} or {@code OUT}. */
    RDX,
    /** Second System V argument; the source pointer of {@code REP OUTSB}. */
    RSI,
    /** First System V argument; the destination pointer of {@code REP INSB}. */
    RDI,
    /** Callee-saved frame pointer. */
    RBP,
    /** Callee-saved stack pointer. */
    RSP,
    /** Fifth System V argument. */
    R8,
    /** Sixth System V argument. */
    R9,
    /** Caller-saved scratch register. */
    R10,
    /** Caller-saved scratch register. */
    R11,
    /** Callee-saved. */
    R12,
    /** Callee-saved. */
    R13,
    /** Callee-saved. */
    R14,
    /** Callee-saved. */
    R15,
    /** The instruction pointer. */
    RIP,
    /** The flags register (carry, zero, sign, overflow, direction ...). */
    RFLAGS;

    /** {@return {@link Arch#X86_64}, the architecture of every x86_64 register} */
    @Override
    public Arch arch() {
        return Arch.X86_64;
    }

    /** {@return the 32-bit name ({@code eax}, {@code r8d}), as the VMware ABI tables use} */
    public String name32() {
        return switch (this) {
            case RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP, RIP -> "e" + displayName().substring(1);
            case RFLAGS -> "eflags";
            default -> displayName() + "d";
        };
    }

    static X86Register parse(String upper) {
        for (X86Register r : values()) {
            if (r.name().equals(upper) || r.name32().toUpperCase(java.util.Locale.ROOT).equals(upper)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown x86_64 register: " + upper.toLowerCase(java.util.Locale.ROOT));
    }
}
