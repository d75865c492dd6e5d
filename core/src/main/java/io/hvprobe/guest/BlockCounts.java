package io.hvprobe.guest;

import java.util.Arrays;

/**
 * Instruction counts of translation blocks by start address and size: an open-addressing table of primitive
 * longs, since the block hook looks one up for every block the guest executes (a boxed {@code HashMap} lookup per
 * block was a visible share of a module's check).
 */
final class BlockCounts {
    private static final long EMPTY = -1;
    private long[] keys = new long[1024];
    private long[] sizes = new long[1024];
    private long[] counts = new long[1024];
    private int used;

    BlockCounts() {
        Arrays.fill(keys, EMPTY);
    }

    /** The instruction count of the block at {@code address} of {@code size} bytes, or -1 if not known. */
    long get(long address, long size) {
        int i = slot(address);
        while (keys[i] != EMPTY) {
            if (keys[i] == address) {
                return sizes[i] == size ? counts[i] : -1;
            }
            i = (i + 1) & (keys.length - 1);
        }
        return -1;
    }

    /** Records the count of the block at {@code address} of {@code size} bytes (replacing one of another size). */
    void put(long address, long size, long count) {
        if ((used + 1) * 2 > keys.length) {
            grow();
        }
        int i = slot(address);
        while (keys[i] != EMPTY && keys[i] != address) {
            i = (i + 1) & (keys.length - 1);
        }
        if (keys[i] == EMPTY) {
            used++;
        }
        keys[i] = address;
        sizes[i] = size;
        counts[i] = count;
    }

    private int slot(long address) {
        long h = address * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & (keys.length - 1);
    }

    private void grow() {
        long[] k = keys;
        long[] s = sizes;
        long[] c = counts;
        keys = new long[k.length * 2];
        sizes = new long[k.length * 2];
        counts = new long[k.length * 2];
        Arrays.fill(keys, EMPTY);
        used = 0;
        for (int i = 0; i < k.length; i++) {
            if (k[i] != EMPTY) {
                put(k[i], s[i], c[i]);
            }
        }
    }
}
