package io.hvprobe.guest;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The text forms of a guest argument, one definition for the command line's {@code --arg} and for Java callers
 * ({@link Argument#parse}):
 * <ul>
 * <li>an integer in decimal ({@code 42}, {@code -1}, {@code 1_000}) or hex ({@code 0x564D5868}), up to 64 bits;</li>
 * <li>{@code buf:SIZE} a pointer to a fresh zeroed buffer, with integer fields set as in
 * {@code buf:64,u32@8=5,u64@0x10=0x100} (a struct);</li>
 * <li>{@code ptr:uN=VALUE} a pointer to one initialised integer, e.g. {@code ptr:u64=256} (a
 * {@code size_t *length});</li>
 * <li>{@code hex:BYTES} a buffer holding exactly those bytes, e.g. {@code hex:666f6f00};</li>
 * <li>{@code str:TEXT} a NUL-terminated copy of TEXT (UTF-8).</li>
 * </ul>
 * A bad value is an {@link IllegalArgumentException} whose message quotes it and shows the expected form.
 */
public final class ArgumentSyntax {
    /** Largest buffer a {@code buf:}, {@code hex:} or {@code str:} argument may ask for. */
    public static final int MAX_BUFFER = 64 * 1024;

    private ArgumentSyntax() {
    }

    /**
     * The argument {@code text} stands for.
     *
     * @param text one argument in one of the forms above
     * @return the argument
     * @throws IllegalArgumentException naming the bad value and the expected form
     */
    public static Argument parse(String text) {
        String s = text.trim();
        if (s.startsWith("buf:")) {
            String[] parts = s.substring(4).split(",", -1);
            long size = integer(parts[0], text);
            if (size < 0 || size > MAX_BUFFER) {
                throw new IllegalArgumentException("'" + text + "': buffer size must be 0.." + MAX_BUFFER);
            }
            Argument.Buffer b = Argument.Buffer.zeroed((int) size);
            for (int i = 1; i < parts.length; i++) {
                b = field(b, parts[i], text);
            }
            return b;
        }
        if (s.startsWith("ptr:")) {
            String spec = s.substring(4);
            int eq = spec.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + text + "': a pointer to an integer is ptr:uN=VALUE"
                        + " (N = 8, 16, 32 or 64), e.g. ptr:u64=256");
            }
            int width = width(spec.substring(0, eq), text);
            return Argument.Buffer.integer(width, integer(spec.substring(eq + 1), text));
        }
        if (s.startsWith("hex:")) {
            String digits = s.substring(4).replace(" ", "").replace("_", "");
            if (digits.length() / 2 > MAX_BUFFER) {
                throw new IllegalArgumentException("hex: more than " + MAX_BUFFER + " bytes");
            }
            try {
                return Argument.Buffer.of(HexFormat.of().parseHex(digits));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "': hex: takes pairs of hex digits, e.g."
                        + " hex:666f6f00");
            }
        }
        if (s.startsWith("str:")) {
            return string(text.substring(text.indexOf("str:") + 4));
        }
        return Argument.value(integer(s, text));
    }

    /**
     * A NUL-terminated UTF-8 copy of {@code text} in a fresh buffer (the {@code str:} form).
     *
     * @param text the string
     * @return a buffer one byte longer than the text's UTF-8 bytes
     * @throws IllegalArgumentException if the text needs more than {@link #MAX_BUFFER} bytes
     */
    static Argument.Buffer string(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 1 > MAX_BUFFER) {
            throw new IllegalArgumentException("str: text longer than " + (MAX_BUFFER - 1) + " bytes");
        }
        return new Argument.Buffer(bytes.length + 1, bytes);
    }

    /** A {@code uN@OFFSET=VALUE} field of a {@code buf:} argument set in {@code b}. */
    private static Argument.Buffer field(Argument.Buffer b, String spec, String original) {
        int at = spec.indexOf('@');
        int eq = spec.indexOf('=');
        if (at < 0 || eq < at) {
            throw new IllegalArgumentException("'" + original + "': a buffer field is uN@OFFSET=VALUE"
                    + " (N = 8, 16, 32 or 64), e.g. buf:64,u32@8=5");
        }
        long offset = integer(spec.substring(at + 1, eq), original);
        if (offset < 0 || offset > MAX_BUFFER) {
            throw new IllegalArgumentException("'" + original + "': field offset " + offset
                    + " is outside the buffer");
        }
        try {
            return b.with((int) offset, width(spec.substring(0, at), original),
                    integer(spec.substring(eq + 1), original));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + original + "': " + e.getMessage());
        }
    }

    /** {@code u8}, {@code u16}, {@code u32} or {@code u64} as a width in bytes. */
    private static int width(String type, String original) {
        return switch (type.trim().toLowerCase(Locale.ROOT)) {
            case "u8" -> 1;
            case "u16" -> 2;
            case "u32" -> 4;
            case "u64" -> 8;
            default -> throw new IllegalArgumentException("'" + original + "': integer type is u8, u16, u32"
                    + " or u64, got '" + type + "'");
        };
    }

    /**
     * An integer in decimal (signed, or unsigned up to 2^64-1) or 0x-hex up to 64 bits; {@code _} separates
     * digit groups.
     *
     * @param text     the integer
     * @param original the whole argument {@code text} is part of, quoted in the error
     * @return the 64-bit value (two's complement for values at or above 2^63)
     * @throws IllegalArgumentException if it is not such an integer
     */
    public static long integer(String text, String original) {
        String t = text.trim().replace("_", "");
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
                throw new IllegalArgumentException("'" + original + "' does not fit in 64 bits");
            }
            return b.longValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + original
                    + "' is not a number (decimal, 0x-hex, buf:SIZE[,uN@OFF=V...], ptr:uN=V, hex:BYTES or str:TEXT)");
        }
    }
}
