package io.hvprobe.kernel;

import io.hvprobe.arch.Arch;

import java.io.ByteArrayOutputStream;
import java.util.function.LongFunction;

/**
 * The kernel's printf: {@code %d %i %u %x %X %o %c %s %p %%} with flags {@code - + space # 0}, field width and
 * precision (also {@code *}), length modifiers {@code hh h l ll z Z t j L}; {@code %p} extensions are consumed as
 * the kernel does (letters and digits after the {@code p}): {@code %pS}/{@code %ps}/{@code %pB} print the symbol,
 * {@code %pV} formats a nested {@code struct va_format}, the rest print the pointer in hex. Output is bounded by
 * {@link #MAX_OUTPUT} bytes; the returned length is the length of the bounded output.
 */
final class Formatter {
    /** Most bytes one formatting produces. */
    static final int MAX_OUTPUT = 64 * 1024;
    private static final int MAX_NESTING = 4;

    private final GuestMemory memory;
    private final Arch arch;
    private final LongFunction<String> symbolizer;

    Formatter(GuestMemory memory, Arch arch, LongFunction<String> symbolizer) {
        this.memory = memory;
        this.arch = arch;
        this.symbolizer = symbolizer;
    }

    /** Formats the C string at {@code format} with {@code args}. */
    byte[] format(long format, VarArgs args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        format(memory.cString(format, GuestMemory.MAX_STRING), args, out, 0);
        byte[] all = out.toByteArray();
        return all.length > MAX_OUTPUT ? java.util.Arrays.copyOf(all, MAX_OUTPUT) : all;
    }

    private void format(byte[] fmt, VarArgs args, ByteArrayOutputStream out, int depth) {
        int i = 0;
        while (i < fmt.length && out.size() < MAX_OUTPUT) {
            byte c = fmt[i++];
            if (c != '%') {
                out.write(c);
                continue;
            }
            Spec spec = new Spec();
            while (i < fmt.length && "-+ #0".indexOf(fmt[i]) >= 0) {
                spec.flag((char) fmt[i++]);
            }
            if (i < fmt.length && fmt[i] == '*') {
                i++;
                int w = (int) args.next();
                if (w < 0) {
                    spec.left = true;
                    w = -w;
                }
                spec.width = Math.min(w, MAX_OUTPUT);
            } else {
                while (i < fmt.length && Character.isDigit(fmt[i])) {
                    spec.width = Math.min(spec.width * 10 + (fmt[i++] - '0'), MAX_OUTPUT);
                }
            }
            if (i < fmt.length && fmt[i] == '.') {
                i++;
                spec.precision = 0;
                if (i < fmt.length && fmt[i] == '*') {
                    i++;
                    spec.precision = Math.max((int) args.next(), -1);
                } else {
                    while (i < fmt.length && Character.isDigit(fmt[i])) {
                        spec.precision = Math.min(spec.precision * 10 + (fmt[i++] - '0'), MAX_OUTPUT);
                    }
                }
            }
            int bits = 32;
            while (i < fmt.length && "hlzZtjLq".indexOf(fmt[i]) >= 0) {
                byte q = fmt[i++];
                bits = switch (q) {
                    case 'h' -> bits == 16 ? 8 : 16;
                    default -> 64;
                };
            }
            if (i >= fmt.length) {
                break;
            }
            byte conv = fmt[i++];
            switch (conv) {
                case '%' -> out.write('%');
                case 'c' -> pad(out, new byte[] {(byte) args.next()}, spec);
                case 's' -> pad(out, string(args.next(), spec.precision), spec);
                case 'd', 'i' -> number(out, signExtend(args.next(), bits), true, 10, false, spec);
                case 'u' -> number(out, truncate(args.next(), bits), false, 10, false, spec);
                case 'x' -> number(out, truncate(args.next(), bits), false, 16, false, spec);
                case 'X' -> number(out, truncate(args.next(), bits), false, 16, true, spec);
                case 'o' -> number(out, truncate(args.next(), bits), false, 8, false, spec);
                case 'n' -> args.next(); // the kernel ignores %n
                case 'p' -> {
                    int start = i;
                    while (i < fmt.length && Character.isLetterOrDigit(fmt[i])) {
                        i++;
                    }
                    pointer(out, args.next(), new String(fmt, start, i - start,
                            java.nio.charset.StandardCharsets.ISO_8859_1), spec, depth);
                }
                default -> {
                    // Unknown conversion: printed as is, like the kernel.
                    out.write('%');
                    out.write(conv);
                }
            }
        }
    }

    private byte[] string(long address, int precision) {
        if (address == 0) {
            return "(null)".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        try {
            return memory.cString(address, precision < 0 ? GuestMemory.MAX_STRING : precision);
        } catch (GuestAccessException e) {
            return "(efault)".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    private void pointer(ByteArrayOutputStream out, long p, String extension, Spec spec, int depth) {
        if (extension.startsWith("V") && depth < MAX_NESTING) {
            // struct va_format { const char *fmt; va_list *va; }
            try {
                long fmt = memory.readLong(p);
                long va = memory.readLong(p + 8);
                format(memory.cString(fmt, GuestMemory.MAX_STRING), VarArgs.ofVaList(arch, va, memory), out,
                        depth + 1);
            } catch (GuestAccessException e) {
                out.writeBytes("(efault)".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return;
        }
        String text = extension.startsWith("S") || extension.startsWith("s") || extension.startsWith("B")
                ? symbolizer.apply(p) : String.format(java.util.Locale.ROOT, "%016x", p);
        pad(out, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), spec);
    }

    private static long signExtend(long v, int bits) {
        return bits == 64 ? v : (v << (64 - bits)) >> (64 - bits);
    }

    private static long truncate(long v, int bits) {
        return bits == 64 ? v : v & ((1L << bits) - 1);
    }

    private static void number(ByteArrayOutputStream out, long v, boolean signed, int radix, boolean upper,
                               Spec spec) {
        boolean negative = signed && v < 0;
        String digits = signed ? Long.toString(Math.abs(v), radix).replace("-", "")
                : Long.toUnsignedString(v, radix);
        if (v == Long.MIN_VALUE && signed) {
            digits = "9223372036854775808";
        }
        if (upper) {
            digits = digits.toUpperCase(java.util.Locale.ROOT);
        }
        if (spec.precision == 0 && v == 0) {
            digits = "";
        }
        if (spec.precision > digits.length()) {
            digits = "0".repeat(spec.precision - digits.length()) + digits;
        }
        String prefix = negative ? "-" : spec.plus && signed ? "+" : spec.space && signed ? " " : "";
        if (spec.alternate && v != 0) {
            prefix += radix == 16 ? (upper ? "0X" : "0x") : radix == 8 ? "0" : "";
        }
        int fill = spec.width - prefix.length() - digits.length();
        StringBuilder b = new StringBuilder();
        if (fill > 0 && !spec.left && spec.zero && spec.precision < 0) {
            b.append(prefix).append("0".repeat(fill)).append(digits);
        } else if (fill > 0 && !spec.left) {
            b.append(" ".repeat(fill)).append(prefix).append(digits);
        } else {
            b.append(prefix).append(digits);
            if (fill > 0) {
                b.append(" ".repeat(fill));
            }
        }
        out.writeBytes(b.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private static void pad(ByteArrayOutputStream out, byte[] text, Spec spec) {
        int fill = spec.width - text.length;
        if (fill > 0 && !spec.left) {
            out.writeBytes(" ".repeat(fill).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(text);
        if (fill > 0 && spec.left) {
            out.writeBytes(" ".repeat(fill).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    /** One conversion's flags, width and precision. */
    private static final class Spec {
        boolean left;
        boolean plus;
        boolean space;
        boolean alternate;
        boolean zero;
        int width;
        int precision = -1;

        void flag(char f) {
            switch (f) {
                case '-' -> left = true;
                case '+' -> plus = true;
                case ' ' -> space = true;
                case '#' -> alternate = true;
                default -> zero = true;
            }
        }
    }
}
