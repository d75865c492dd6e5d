package io.hvprobe.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A byte buffer in front of an output stream with hex/decimal appenders, so trace writers build lines without
 * {@code String.format} or intermediate strings. Strings are written as UTF-8.
 */
final class AsciiOut {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final int SIZE = 1 << 16;

    private final OutputStream out;
    private final byte[] buf = new byte[SIZE];
    private int pos;

    AsciiOut(OutputStream out) {
        this.out = out;
    }

    AsciiOut put(byte[] bytes) {
        if (bytes.length > SIZE - pos) {
            drain();
            if (bytes.length > SIZE) {
                write(bytes, bytes.length);
                return this;
            }
        }
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        return this;
    }

    AsciiOut put(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return put(s.getBytes(StandardCharsets.UTF_8));
            }
        }
        ensure(s.length());
        if (s.length() > SIZE) {
            return put(s.getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < s.length(); i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
        return this;
    }

    AsciiOut put(char c) {
        ensure(1);
        buf[pos++] = (byte) c;
        return this;
    }

    AsciiOut spaces(int n) {
        for (int i = 0; i < n; i++) {
            put(' ');
        }
        return this;
    }

    /** {@code 0x} and lower-case hex digits without leading zeros (unsigned). */
    AsciiOut hex(long v) {
        ensure(18);
        buf[pos++] = '0';
        buf[pos++] = 'x';
        int digits = v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) / 4;
        for (int i = digits - 1; i >= 0; i--) {
            buf[pos++] = HEX[(int) (v >>> (4 * i)) & 0xF];
        }
        return this;
    }

    /** Signed decimal. */
    AsciiOut dec(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            return put("-9223372036854775808");
        }
        if (v < 0) {
            buf[pos++] = '-';
            v = -v;
        }
        int start = pos;
        do {
            buf[pos++] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        for (int i = start, j = pos - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** Non-negative decimal right-aligned in {@code width} columns. */
    AsciiOut decPadded(long v, int width) {
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        spaces(width - digits);
        return dec(v);
    }

    void flush() {
        drain();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void ensure(int n) {
        if (SIZE - pos < n) {
            drain();
        }
    }

    private void drain() {
        if (pos > 0) {
            write(buf, pos);
            pos = 0;
        }
    }

    private void write(byte[] b, int n) {
        try {
            out.write(b, 0, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
