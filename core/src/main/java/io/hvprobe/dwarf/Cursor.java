package io.hvprobe.dwarf;

import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads over one debug section where every access is checked against the section end first, so
 * a corrupt length or offset becomes a {@link DwarfFormatException} rather than an index exception.
 */
final class Cursor {
    private final String section;
    private final byte[] bytes;
    private final int end;
    private int position;

    Cursor(String section, byte[] bytes, long start, long end) throws DwarfFormatException {
        if (start < 0 || end > bytes.length || start > end) {
            throw new DwarfFormatException(section + ": range 0x" + Long.toHexString(start) + "..0x"
                    + Long.toHexString(end) + " outside the section (0x" + Integer.toHexString(bytes.length) + ")");
        }
        this.section = section;
        this.bytes = bytes;
        this.position = (int) start;
        this.end = (int) end;
    }

    Cursor(String section, byte[] bytes) throws DwarfFormatException {
        this(section, bytes, 0, bytes.length);
    }

    int position() {
        return position;
    }

    int end() {
        return end;
    }

    boolean atEnd() {
        return position >= end;
    }

    String section() {
        return section;
    }

    DwarfFormatException error(String problem) {
        return new DwarfFormatException(section + " at 0x" + Integer.toHexString(position) + ": " + problem);
    }

    /**
     * A unit's initial length field.
     *
     * @param length     bytes of the unit after the field
     * @param offsetSize 4, or 8 for a 64-bit DWARF unit (section offsets inside it are that wide)
     */
    record UnitLength(long length, int offsetSize) {
    }

    /** Reads a unit's initial length (32- or 64-bit DWARF) and checks that the unit fits in what is left. */
    UnitLength unitLength() throws DwarfFormatException {
        long length = u32();
        int offsetSize = 4;
        if (length == 0xffffffffL) {
            length = u64();
            offsetSize = 8;
        } else if (length >= 0xfffffff0L) {
            throw error("reserved unit length 0x" + Long.toHexString(length));
        }
        if (length < 0 || length > end - position) {
            throw error("unit length 0x" + Long.toHexString(length) + " past end (0x" + Integer.toHexString(end)
                    + ")");
        }
        return new UnitLength(length, offsetSize);
    }

    void seek(long offset) throws DwarfFormatException {
        if (offset < 0 || offset > end) {
            throw error("offset 0x" + Long.toHexString(offset) + " past end (0x" + Integer.toHexString(end) + ")");
        }
        position = (int) offset;
    }

    private void need(long n) throws DwarfFormatException {
        if (n < 0 || n > end - position) {
            throw error(n + " bytes needed, " + (end - position) + " left");
        }
    }

    void skip(long n) throws DwarfFormatException {
        need(n);
        position += (int) n;
    }

    int u8() throws DwarfFormatException {
        need(1);
        return bytes[position++] & 0xff;
    }

    int u16() throws DwarfFormatException {
        need(2);
        int v = (bytes[position] & 0xff) | (bytes[position + 1] & 0xff) << 8;
        position += 2;
        return v;
    }

    long u24() throws DwarfFormatException {
        return u16() | (long) u8() << 16;
    }

    long u32() throws DwarfFormatException {
        need(4);
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = v << 8 | (bytes[position + i] & 0xffL);
        }
        position += 4;
        return v;
    }

    long u64() throws DwarfFormatException {
        return u32() | u32() << 32;
    }

    /** An unsigned value of {@code size} bytes (1, 2, 4 or 8). */
    long unsigned(int size) throws DwarfFormatException {
        return switch (size) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw error("unsupported field size " + size);
        };
    }

    long uleb() throws DwarfFormatException {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = u8();
            if (shift < 64) {
                v |= (long) (b & 0x7f) << shift;
            }
            if ((b & 0x80) == 0) {
                return v;
            }
            if (shift > 70) {
                throw error("LEB128 longer than 10 bytes");
            }
        }
    }

    long sleb() throws DwarfFormatException {
        long v = 0;
        int shift = 0;
        int b;
        do {
            b = u8();
            if (shift < 64) {
                v |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
            if (shift > 77) {
                throw error("LEB128 longer than 10 bytes");
            }
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            v |= -1L << shift;
        }
        return v;
    }

    /** A ULEB128 that must fit a non-negative int (counts, indices). */
    int ulebInt(String what) throws DwarfFormatException {
        long v = uleb();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw error(what + " 0x" + Long.toHexString(v) + " out of range");
        }
        return (int) v;
    }

    /** A NUL-terminated string (UTF-8). */
    String cstring() throws DwarfFormatException {
        int start = position;
        int i = start;
        while (i < end && bytes[i] != 0) {
            i++;
        }
        if (i >= end) {
            throw error("string without terminating NUL");
        }
        position = i + 1;
        return new String(bytes, start, i - start, StandardCharsets.UTF_8);
    }

    /** The NUL-terminated string at {@code offset} in {@code bytes}, for string-table forms. */
    static String stringAt(String section, byte[] bytes, long offset) throws DwarfFormatException {
        if (offset < 0 || offset >= bytes.length) {
            throw new DwarfFormatException(section + ": string offset 0x" + Long.toHexString(offset)
                    + " past end (0x" + Integer.toHexString(bytes.length) + ")");
        }
        Cursor c = new Cursor(section, bytes, offset, bytes.length);
        return c.cstring();
    }
}
