package io.hvprobe.arch;

/**
 * A guest register that hvprobe tracks: general registers, the program counter and the flags.
 * Each architecture's registers form one enum; {@link #index()} is the position in a
 * {@link RegisterSnapshot}.
 */
public sealed interface GuestRegister permits X86Register, Arm64Register {
    /** {@return the upper-case canonical name, e.g. {@code RAX} or {@code X7}} */
    String name();

    /** {@return the position of this register among its architecture's registers (its enum ordinal)} */
    int ordinal();

    /** {@return the architecture this register belongs to} */
    Arch arch();

    /** {@return the position of this register in its architecture's {@link RegisterSnapshot}} */
    default int index() {
        return ordinal();
    }

    /** {@return the lower-case name as disassemblers print it, e.g. {@code rax}, {@code x7}} */
    default String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Looks a register up by name.
     *
     * @param arch the architecture whose registers are searched
     * @param name the name in any case; 32-bit aliases such as {@code eax} or {@code w7} (and {@code fp}, {@code lr})
     *             name the full register
     * @return the register
     * @throws IllegalArgumentException when {@code arch} has no register of that name
     */
    static GuestRegister parse(Arch arch, String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        if (arch == Arch.X86_64) {
            return X86Register.parse(n);
        }
        return Arm64Register.parse(n);
    }
}
