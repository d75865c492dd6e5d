package io.hvprobe.kernel;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The guest heap {@code kmalloc} and friends allocate from: a bump allocator over a fixed guest area, reset at
 * the start of every call, so the same call gets the same addresses every time (reruns compare like with like).
 * Freed blocks are not reused. Blocks are 64-byte aligned and handed out zeroed.
 */
final class KernelHeap {
    /** The kernel's {@code ZERO_SIZE_PTR}: what a zero-byte allocation returns. */
    static final long ZERO_SIZE_PTR = 16;
    private static final long ALIGN = 64;

    private final long base;
    private final long size;
    private final Map<Long, Long> live = new HashMap<>();
    private long next;
    private long highWater;

    KernelHeap(long base, long size) {
        this.base = base;
        this.size = size;
        this.next = base;
    }

    /** The first address of the heap area. */
    long base() {
        return base;
    }

    /** Bytes in the heap area. */
    long size() {
        return size;
    }

    /**
     * A block of {@code bytes} (unsigned), or empty when it does not fit in what is left (a hostile
     * {@code kmalloc(4 GiB)} gets NULL, as from a kernel that is out of memory).
     */
    OptionalLong allocate(long bytes) {
        if (bytes == 0) {
            return OptionalLong.of(ZERO_SIZE_PTR);
        }
        long left = base + size - next;
        if (bytes < 0 || bytes > left) {
            return OptionalLong.empty();
        }
        long at = next;
        next = Math.min(base + size, (at + bytes + ALIGN - 1) & -ALIGN);
        highWater = Math.max(highWater, next - base);
        live.put(at, bytes);
        return OptionalLong.of(at);
    }

    /** The size of live block {@code address}, or empty if the heap did not hand it out (or it was freed). */
    OptionalLong sizeOf(long address) {
        Long s = live.get(address);
        return s == null ? OptionalLong.empty() : OptionalLong.of(s);
    }

    /** Frees a live block; false if {@code address} is not one. */
    boolean free(long address) {
        return live.remove(address) != null;
    }

    /**
     * Forgets every block; returns how many bytes from {@link #base()} were used since the last reset (the caller
     * zeroes them).
     */
    long reset() {
        long used = highWater;
        live.clear();
        next = base;
        highWater = 0;
        return used;
    }
}
