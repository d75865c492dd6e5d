package io.hvprobe.trap;

import io.hvprobe.spi.TrapForm;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One trapping instruction in guest code.
 *
 * @param address  where it starts (its first prefix byte on x86)
 * @param form     which trap it is
 * @param bytes    its bytes; the length is the instruction length
 * @param text     its disassembly, e.g. {@code rep insb byte ptr [rdi], dx} or {@code mrs xzr, mdccsr_el0}
 * @param encoding the fields of its encoding
 */
public record TrapSite(long address, TrapForm form, byte[] bytes, String text, TrapEncoding encoding) {

    /**
     * Copies {@code bytes}.
     *
     * @param address  where it starts
     * @param form     which trap it is
     * @param bytes    its bytes (copied)
     * @param text     its disassembly
     * @param encoding the fields of its encoding
     */
    public TrapSite {
        bytes = bytes.clone();
    }

    /** {@return the instruction's length in bytes} */
    public int length() {
        return bytes.length;
    }

    /** {@return the instruction's bytes, not copied: for readers in this package that neither keep nor change them} */
    byte[] sharedBytes() {
        return bytes;
    }

    /** {@return the instruction's bytes (a new copy on each call)} */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrapSite s && s.address == address && s.form == form && Arrays.equals(s.bytes, bytes)
                && s.text.equals(text) && s.encoding.equals(encoding);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return form + "@0x" + Long.toHexString(address) + " [" + HexFormat.of().formatHex(bytes) + "] " + text;
    }
}
