package io.hvprobe.arch;

/**
 * A guest register that hvprobe tracks: general registers, the program counter and the flags.
 * Each architecture's registers form one enum; {@link #index()} is the position in a
 * {@link RegisterSnapshot}.
 */
public sealed interface GuestRegister permits X86Register, Arm64Register {
    /** Upper-case canonical name, e.g. {@code RAX} or {@code X7}. */
    String name();

    /** Position of this register in its architecture's snapshot. */
    int ordinal();

    /** The architecture this register belongs to. */
    Arch arch();

    /** Position of this register in its architecture's snapshot. */
    default int index() {
        return ordinal();
    }

    /** Lower-case name as disassemblers print it, e.g. {@code rax}, {@code x7}. */
    default String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Looks a register up by name (any case; also accepts 32-bit aliases such as {@code eax} or {@code w7}). */
    static GuestRegister parse(Arch arch, String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        if (arch == Arch.X86_64) {
            return X86Register.parse(n);
        }
        return Arm64Register.parse(n);
    }
}
