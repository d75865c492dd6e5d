package io.hvprobe.loader;

import org.tukaani.xz.XZFormatException;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of an object file as the loader sees them: read as they are, or decompressed when the file is xz
 * (distribution kernels ship modules as {@code .ko.xz}; the xz magic decides, not the name). Every read is bounded
 * by {@link ImageLoader#MAX_FILE_SIZE}, so a small compressed file that expands without end is refused instead of
 * filling the heap.
 */
public final class ObjectBytes {
    /** The xz stream magic: FD '7' 'z' 'X' 'Z' 00. */
    private static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};
    /** Memory the xz decoder may use for its dictionary (kernel modules use 1 MiB; xz's own default tops at 64). */
    private static final int XZ_MEMORY_LIMIT_KIB = 256 * 1024;

    private ObjectBytes() {
    }

    /**
     * Whether {@code file} starts with the xz magic; false when it cannot be read.
     *
     * @param file a file
     * @return whether it is xz-compressed
     */
    public static boolean compressed(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return startsWithXz(in.readNBytes(XZ_MAGIC.length));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first {@code n} bytes of the object (decompressed if it is xz), fewer when it is shorter; an
     * {@link IOException} when it cannot be read or its xz stream is corrupt.
     *
     * @param file the object file, plain or xz-compressed
     * @param n    how many bytes, 0 or more
     * @return a new array of at most {@code n} bytes
     * @throws IOException when the file cannot be read or its xz stream is corrupt
     */
    public static byte[] head(Path file, int n) throws IOException {
        try (InputStream in = open(file)) {
            return in.readNBytes(n);
        }
    }

    /**
     * All bytes of {@code file}, decompressed if it is xz; {@code name} names it in the error. A
     * {@link LoadException} when it cannot be read, is corrupt or is larger than {@link ImageLoader#MAX_FILE_SIZE}
     * (compressed or not).
     *
     * @param file the object file, plain or xz-compressed
     * @param name the file's name in the error message
     * @return the whole object, decompressed
     * @throws LoadException when the file cannot be read, is corrupt or is too large
     */
    public static byte[] read(Path file, String name) throws LoadException {
        long limit = ImageLoader.MAX_FILE_SIZE;
        try {
            long size = Files.size(file);
            if (size > limit) {
                throw new LoadException(name, "file is " + size + " bytes, larger than the " + limit
                        + "-byte limit");
            }
            if (!compressed(file)) {
                return Files.readAllBytes(file);
            }
            try (InputStream in = open(file)) {
                byte[] bytes = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
                if (in.read() >= 0) {
                    throw new LoadException(name, "decompresses to more than the " + limit + "-byte limit");
                }
                return bytes;
            }
        } catch (java.io.EOFException e) {
            throw new LoadException(name, "truncated xz stream");
        } catch (XZFormatException e) {
            throw new LoadException(name, "corrupt xz stream: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw new LoadException(name, (compressed(file) ? "cannot decompress " : "cannot read ") + file + ": "
                    + e);
        }
    }

    /** A stream of the object's bytes, decompressing when the file starts with the xz magic. */
    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        raw.mark(XZ_MAGIC.length);
        boolean xz = startsWithXz(raw.readNBytes(XZ_MAGIC.length));
        raw.reset();
        if (!xz) {
            return raw;
        }
        try {
            return new XZInputStream(raw, XZ_MEMORY_LIMIT_KIB);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private static boolean startsWithXz(byte[] head) {
        if (head.length < XZ_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < XZ_MAGIC.length; i++) {
            if (head[i] != XZ_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
