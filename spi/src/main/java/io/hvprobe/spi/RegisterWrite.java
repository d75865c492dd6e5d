package io.hvprobe.spi;

import io.hvprobe.arch.GuestRegister;

/**
 * A register the hypervisor writes, with the width of the write. On both architectures a
 * 32-bit write zero-extends into the 64-bit register (x86_64 {@code mov r32}, arm64 W registers);
 * 8- and 16-bit writes replace only those low bits; 64-bit writes replace everything.
 *
 * @param register the register
 * @param width    8, 16, 32 or 64
 * @param value    the value (only the low {@code width} bits are used)
 */
public record RegisterWrite(GuestRegister register, int width, long value) {

    /** Checks the width: 8, 16, 32 or 64 bits, the writes an instruction can make. */
    public RegisterWrite {
        if (width != 8 && width != 16 && width != 32 && width != 64) {
            throw new IllegalArgumentException("register write width must be 8, 16, 32 or 64: " + width);
        }
    }

    /**
     * A 32-bit write, which zero-extends into the 64-bit register as a hypervisor's {@code mov r32} does.
     *
     * @param register the register written
     * @param value    the value; only its low 32 bits are kept
     * @return the write
     */
    public static RegisterWrite w32(GuestRegister register, long value) {
        return new RegisterWrite(register, 32, value & 0xFFFF_FFFFL);
    }

    /**
     * A full 64-bit write.
     *
     * @param register the register written
     * @param value    the value
     * @return the write
     */
    public static RegisterWrite w64(GuestRegister register, long value) {
        return new RegisterWrite(register, 64, value);
    }

    /**
     * Applies this write to a register value.
     *
     * @param before the register's value before the write
     * @return its value after the write: the low bits replaced for 8- and 16-bit writes, zero-extended for 32-bit
     */
    public long applyTo(long before) {
        return switch (width) {
            case 8 -> (before & ~0xFFL) | (value & 0xFFL);
            case 16 -> (before & ~0xFFFFL) | (value & 0xFFFFL);
            case 32 -> value & 0xFFFF_FFFFL;
            default -> value;
        };
    }
}
