package io.hvprobe.arch;

/** x86_64 general registers, RIP and RFLAGS. */
public enum X86Register implements GuestRegister {
    RAX, RBX, RCX, RDX, RSI, RDI, RBP, RSP,
    R8, R9, R10, R11, R12, R13, R14, R15,
    RIP, RFLAGS;

    @Override
    public Arch arch() {
        return Arch.X86_64;
    }

    /** The 32-bit name ({@code eax}, {@code r8d}), as the VMware ABI tables use. */
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
