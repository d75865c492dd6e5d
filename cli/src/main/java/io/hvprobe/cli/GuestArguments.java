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
 * 64 bits; pointers to fresh guest buffers: {@code buf:SIZE} zeroed, with fields set as in
 * {@code buf:64,u32@8=5,u64@0x10=0x100} (a struct); {@code ptr:u64=256} to one initialised integer (a
 * {@code size_t *length}); {@code hex:666f6f00} holding exactly those bytes; {@code str:TEXT} a NUL-terminated
 * copy of TEXT (UTF-8).
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
            String[] parts = s.substring(4).split(",", -1);
            long size = integer(parts[0], v);
            if (size < 0 || size > MAX_BUFFER) {
                throw new IllegalArgumentException("--arg '" + v + "': buffer size must be 0.." + MAX_BUFFER);
            }
            Argument.Buffer b = Argument.Buffer.zeroed((int) size);
            for (int i = 1; i < parts.length; i++) {
                b = field(b, parts[i], v);
            }
            return b;
        }
        if (s.startsWith("ptr:")) {
            String spec = s.substring(4);
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("--arg '" + v + "': a pointer to an integer is ptr:uN=VALUE"
                        + " (N = 8, 16, 32 or 64), e.g. ptr:u64=256");
            }
            int width = width(spec.substring(0, eq), v);
            return Argument.Buffer.integer(width, integer(spec.substring(eq + 1), v));
        }
        if (s.startsWith("hex:")) {
            String digits = s.substring(4).replace(" ", "").replace("_", "");
            if (digits.length() / 2 > MAX_BUFFER) {
                throw new IllegalArgumentException("--arg hex: more than " + MAX_BUFFER + " bytes");
            }
            try {
                return Argument.Buffer.of(java.util.HexFormat.of().parseHex(digits));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--arg '" + v + "': hex: takes pairs of hex digits, e.g."
                        + " hex:666f6f00");
            }
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

    /** A {@code uN@OFFSET=VALUE} field of a {@code buf:} argument set in {@code b}. */
    private static Argument.Buffer field(Argument.Buffer b, String spec, String original) {
        int at = spec.indexOf('@');
        int eq = spec.indexOf('=');
        if (at < 0 || eq < at) {
            throw new IllegalArgumentException("--arg '" + original + "': a buffer field is uN@OFFSET=VALUE"
                    + " (N = 8, 16, 32 or 64), e.g. buf:64,u32@8=5");
        }
        long offset = integer(spec.substring(at + 1, eq), original);
        if (offset < 0 || offset > MAX_BUFFER) {
            throw new IllegalArgumentException("--arg '" + original + "': field offset " + offset
                    + " is outside the buffer");
        }
        try {
            return b.with((int) offset, width(spec.substring(0, at), original),
                    integer(spec.substring(eq + 1), original));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--arg '" + original + "': " + e.getMessage());
        }
    }

    /** {@code u8}, {@code u16}, {@code u32} or {@code u64} as a width in bytes. */
    private static int width(String type, String original) {
        return switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "u8" -> 1;
            case "u16" -> 2;
            case "u32" -> 4;
            case "u64" -> 8;
            default -> throw new IllegalArgumentException("--arg '" + original + "': integer type is u8, u16, u32"
                    + " or u64, got '" + type + "'");
        };
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
                    + "' is not a number (decimal, 0x-hex, buf:SIZE[,uN@OFF=V...], ptr:uN=V, hex:BYTES or str:TEXT)");
        }
    }
}
