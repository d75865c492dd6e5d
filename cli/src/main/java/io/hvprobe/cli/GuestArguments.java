package io.hvprobe.cli;

import io.hvprobe.guest.Argument;
import io.hvprobe.guest.GuestCall;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses {@code --arg} values: integers in decimal ({@code 42}, {@code -1}) or hex ({@code 0x564D5868}) up to
 * 64 bits, {@code buf:SIZE} for a pointer to a fresh zeroed guest buffer of SIZE bytes, and {@code str:TEXT} for a
 * pointer to a NUL-terminated copy of TEXT (UTF-8).
 */
final class GuestArguments {
    /** Largest buffer a {@code buf:} argument may ask for. */
    static final int MAX_BUFFER = 64 * 1024;

    private GuestArguments() {
    }

    /**
     * Parses all values (at most {@value GuestCall#MAX_ARGUMENTS}); throws {@link IllegalArgumentException} naming
     * the bad one.
     */
    static List<Argument> parse(List<String> values) {
        if (values.size() > GuestCall.MAX_ARGUMENTS) {
            throw new IllegalArgumentException("at most " + GuestCall.MAX_ARGUMENTS + " --arg values (got "
                    + values.size() + ")");
        }
        List<Argument> out = new ArrayList<>();
        for (String v : values) {
            out.add(parse(v));
        }
        return out;
    }

    static Argument parse(String v) {
        String s = v.trim();
        if (s.startsWith("buf:")) {
            long size = integer(s.substring(4), v);
            if (size < 0 || size > MAX_BUFFER) {
                throw new IllegalArgumentException("--arg '" + v + "': buffer size must be 0.." + MAX_BUFFER);
            }
            return Argument.Buffer.zeroed((int) size);
        }
        if (s.startsWith("str:")) {
            byte[] text = v.substring(v.indexOf("str:") + 4).getBytes(StandardCharsets.UTF_8);
            if (text.length + 1 > MAX_BUFFER) {
                throw new IllegalArgumentException("--arg str: text longer than " + (MAX_BUFFER - 1) + " bytes");
            }
            return new Argument.Buffer(text.length + 1, text);
        }
        return Argument.value(integer(s, v));
    }

    /** Decimal (signed, or unsigned up to 2^64-1) or 0x-hex up to 64 bits. */
    static long integer(String s, String original) {
        String t = s.trim().replace("_", "");
        try {
            BigInteger b;
            if (t.toLowerCase(Locale.ROOT).startsWith("0x")) {
                b = new BigInteger(t.substring(2), 16);
            } else if (t.toLowerCase(Locale.ROOT).startsWith("-0x")) {
                b = new BigInteger(t.substring(3), 16).negate();
            } else {
                b = new BigInteger(t);
            }
            if (b.bitLength() > 64 || (b.signum() < 0 && b.bitLength() > 63)) {
                throw new IllegalArgumentException("--arg '" + original + "' does not fit in 64 bits");
            }
            return b.longValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--arg '" + original
                    + "' is not a number (decimal, 0x-hex, buf:SIZE or str:TEXT)");
        }
    }
}
