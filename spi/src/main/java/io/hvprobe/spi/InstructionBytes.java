package io.hvprobe.spi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The bytes of one trapping instruction, prefixes included: immutable, so that every trap at one site can share one
 * object instead of copying the bytes per trap.
 */
public final class InstructionBytes {
    private final byte[] bytes;

    private InstructionBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The bytes of an instruction.
     *
     * @param bytes the instruction's bytes (copied)
     * @return them, immutable
     */
    public static InstructionBytes of(byte[] bytes) {
        return new InstructionBytes(bytes.clone());
    }

    /** {@return the instruction's length in bytes} */
    public int length() {
        return bytes.length;
    }

    /** {@return a copy of the bytes} */
    public byte[] toArray() {
        return bytes.clone();
    }

    /** Equal when the bytes are. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof InstructionBytes b && Arrays.equals(b.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** {@return the bytes in hex, e.g. {@code 0f01c1}} */
    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
