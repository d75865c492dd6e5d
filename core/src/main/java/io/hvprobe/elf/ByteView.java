package io.hvprobe.elf;

/**
 * Little-endian reads over a file's bytes where every access is checked against the file length first, so a
 * corrupt offset becomes an {@link ElfFormatException} rather than an index exception.
 */
final class ByteView {
    private final String fileName;
    private final byte[] bytes;

    ByteView(String fileName, byte[] bytes) {
        this.fileName = fileName;
        this.bytes = bytes;
    }

    int length() {
        return bytes.length;
    }

    String fileName() {
        return fileName;
    }

    ElfFormatException error(String problem) {
        return new ElfFormatException(fileName, problem);
    }

    /**
     * Checks that {@code [offset, offset + size)} lies inside the file; both are unsigned 64-bit values.
     * {@code what} names the structure for the message, e.g. "section 7".
     */
    void checkRange(String what, long offset, long size) throws ElfFormatException {
        if (!fits(offset, size, bytes.length)) {
            throw error(what + " offset " + hex(offset) + " + size " + hex(size) + " past end of file ("
                    + hex(bytes.length) + ")");
        }
    }

    /** Whether unsigned {@code [offset, offset + size)} lies inside {@code [0, limit)}, without overflow. */
    static boolean fits(long offset, long size, long limit) {
        return offset >= 0 && size >= 0 && offset <= limit && size <= limit - offset;
    }

    int u8(long offset) throws ElfFormatException {
        checkRange("byte", offset, 1);
        return bytes[(int) offset] & 0xff;
    }

    int u16(long offset) throws ElfFormatException {
        checkRange("field", offset, 2);
        int i = (int) offset;
        return (bytes[i] & 0xff) | (bytes[i + 1] & 0xff) << 8;
    }

    /** Unsigned 32-bit value in a long. */
    long u32(long offset) throws ElfFormatException {
        checkRange("field", offset, 4);
        int i = (int) offset;
        return ((bytes[i] & 0xffL) | (bytes[i + 1] & 0xffL) << 8 | (bytes[i + 2] & 0xffL) << 16
                | (bytes[i + 3] & 0xffL) << 24);
    }

    /** Raw 64-bit value; callers treat it as unsigned. */
    long u64(long offset) throws ElfFormatException {
        return u32(offset) | u32(offset + 4) << 32;
    }

    byte[] copy(long offset, long size) throws ElfFormatException {
        checkRange("range", offset, size);
        byte[] out = new byte[(int) size];
        System.arraycopy(bytes, (int) offset, out, 0, (int) size);
        return out;
    }

    /** Formats a value as unsigned hex with a 0x prefix. */
    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
