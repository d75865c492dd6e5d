package io.hvprobe.cli;

import java.math.BigInteger;

/** Number formatting shared by the commands. */
final class Values {
    private Values() {
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** {@code v} as an unsigned 64-bit integer (JSON numbers for values at or above 2^63). */
    static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v >= 0 ? b : b.add(BigInteger.ONE.shiftLeft(64));
    }

    /** Bytes as text if printable, else hex. */
    static String bytes(byte[] b) {
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        boolean printable = true;
        for (int i = 0; i < end; i++) {
            if (b[i] < 0x20 || b[i] > 0x7e) {
                printable = false;
                break;
            }
        }
        if (printable) {
            return "\"" + new String(b, 0, end, java.nio.charset.StandardCharsets.US_ASCII) + "\""
                    + (end < b.length ? " + " + (b.length - end) + " zero bytes" : "");
        }
        return java.util.HexFormat.ofDelimiter(" ").formatHex(b);
    }
}
