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
    /**
     * A traced instruction is a ~130-byte JSONL line, so a trace of 100,000 instructions is 13 MB: 1 MiB per write
     * (13 writes instead of 200) measured 7–15 % less CPU per traced instruction than 64 KiB (docs/BENCHMARKS.md).
     */
    private static final int SIZE = 1 << 20;

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
        pos = putHex(v, pos);
        return this;
    }

    /**
     * {@code key}, then {@code v} as by {@link #hex}, then a closing quote: one JSON member {@code "name":"0x..."}
     * when {@code key} ends with the opening quote of the value. One capacity check for all three parts.
     */
    AsciiOut keyedHex(byte[] key, long v) {
        int n = key.length;
        ensure(n + 19);
        int p = pos;
        System.arraycopy(key, 0, buf, p, n);
        p = putHex(v, p + n);
        buf[p] = '"';
        pos = p + 1;
        return this;
    }

    private int putHex(long v, int p) {
        buf[p] = '0';
        buf[p + 1] = 'x';
        int end = p + 2 + (v == 0 ? 1 : (67 - Long.numberOfLeadingZeros(v)) >>> 2);
        long x = v;
        for (int i = end - 1; i > p + 1; i--) {
            buf[i] = HEX[(int) x & 0xF];
            x >>>= 4;
        }
        return end;
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
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        pos = end;
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
