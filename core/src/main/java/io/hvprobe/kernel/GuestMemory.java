package io.hvprobe.kernel;

import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MemoryLayout;
import io.hvprobe.unicorn.UnicornException;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/** Bounded reads and writes of guest memory for the kernel environment's functions. */
final class GuestMemory {
    /** Longest C string any function reads (strlen on unterminated memory stops here). */
    static final int MAX_STRING = 64 * 1024;
    /** Largest block one memcpy/memset/copy_*_user moves. */
    static final long MAX_BLOCK = 16L << 20;

    private final GuestMachine machine;

    GuestMemory(GuestMachine machine) {
        this.machine = machine;
    }

    byte[] read(long address, long length) {
        checkBlock(address, length);
        try {
            return machine.read(address, (int) length);
        } catch (UnicornException e) {
            throw new GuestAccessException(address, String.format(Locale.ROOT,
                    "read of %d byte(s) at 0x%x (unmapped)", length, address));
        }
    }

    long readLong(long address) {
        return java.nio.ByteBuffer.wrap(read(address, 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    void write(long address, byte[] data) {
        if (data.length == 0) {
            return;
        }
        try {
            machine.write(address, data);
        } catch (UnicornException e) {
            throw new GuestAccessException(address, String.format(Locale.ROOT,
                    "write of %d byte(s) at 0x%x (unmapped)", data.length, address));
        }
    }

    /** Whether {@code length} bytes at {@code address} can be read. */
    boolean readable(long address, long length) {
        try {
            read(address, length);
            return true;
        } catch (GuestAccessException e) {
            return false;
        }
    }

    /**
     * The bytes of the C string at {@code address} without its NUL, at most {@code limit} of them (and never more
     * than {@link #MAX_STRING}): reads page by page so a string ending just before unmapped memory works.
     */
    byte[] cString(long address, long limit) {
        long max = Math.min(Math.max(limit, 0), MAX_STRING);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long at = address;
        while (out.size() < max) {
            long chunk = Math.min(MemoryLayout.PAGE - (at & (MemoryLayout.PAGE - 1)), max - out.size());
            byte[] b;
            try {
                b = machine.read(at, (int) chunk);
            } catch (UnicornException e) {
                throw new GuestAccessException(at, String.format(Locale.ROOT,
                        "string at 0x%x runs into unmapped memory at 0x%x", address, at));
            }
            for (byte x : b) {
                if (x == 0) {
                    return out.toByteArray();
                }
                out.write(x);
            }
            at += chunk;
        }
        return out.toByteArray();
    }

    private static void checkBlock(long address, long length) {
        if (length < 0 || length > MAX_BLOCK) {
            throw new GuestAccessException(address, String.format(Locale.ROOT,
                    "block of %s bytes at 0x%x exceeds the environment's bound of %d bytes",
                    Long.toUnsignedString(length), address, MAX_BLOCK));
        }
    }
}
