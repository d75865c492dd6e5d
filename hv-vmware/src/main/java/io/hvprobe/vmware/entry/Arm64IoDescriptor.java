package io.hvprobe.vmware.entry;

import java.util.ArrayList;
import java.util.List;

/**
 * The W7 I/O descriptor of an arm64 backdoor call (spec §1.6).
 *
 * @param raw        W7
 * @param sizeCode   bits 1:0 (0 = 1 byte, 1 = 2, 2 = 4, 3 = invalid)
 * @param read       bit 2: 1 = IN/INS
 * @param type       bits 4:3: 0 imm8 port, 1 port in W3, 2 string, 3 REP string
 * @param descending bit 5 for string types (DF)
 * @param immediate  bits 12:5 for type 0
 */
public record Arm64IoDescriptor(long raw, int sizeCode, boolean read, int type, boolean descending, int immediate) {

    /** Decodes W7 (the low 32 bits of {@code x7}). */
    public static Arm64IoDescriptor decode(long x7) {
        long w7 = x7 & 0xFFFF_FFFFL;
        int type = (int) ((w7 >>> 3) & 3);
        return new Arm64IoDescriptor(w7, (int) (w7 & 3), (w7 & 4) != 0, type, type >= 2 && (w7 & 0x20) != 0,
                (int) ((w7 >>> 5) & 0xFF));
    }

    /** Access size in bytes, or 0 for the invalid size code. */
    public int accessSize() {
        return sizeCode == 3 ? 0 : 1 << sizeCode;
    }

    /** Whether this is an INS/OUTS type. */
    public boolean string() {
        return type >= 2;
    }

    /** Whether this is REP INS/OUTS. */
    public boolean rep() {
        return type == 3;
    }

    /** What is wrong with the descriptor itself (empty if nothing). */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (sizeCode == 3) {
            problems.add("size field 0b11 is invalid");
        }
        if ((raw & ~0x1FFFL) != 0) {
            problems.add("reserved bits 31:13 are set (0x" + Long.toHexString(raw & ~0x1FFFL) + ")");
        }
        if (type == 1 && (raw & 0x1FE0L) != 0) {
            problems.add("bits 12:5 must be 0 when the port is in W3");
        }
        if (type >= 2 && (raw & 0x1FC0L) != 0) {
            problems.add("bits 12:6 must be 0 for string types");
        }
        return problems;
    }
}
