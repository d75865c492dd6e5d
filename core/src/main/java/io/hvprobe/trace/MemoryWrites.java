package io.hvprobe.trace;

/**
 * The guest memory writes one instruction made, in order. A reused buffer: read it only inside the
 * {@link TraceSink} call that receives it. Keeps the first {@link #CAPACITY} writes and counts the rest
 * (a {@code rep stos} can write a lot).
 */
public final class MemoryWrites {
    /** Writes kept per instruction. */
    public static final int CAPACITY = 64;

    private final long[] addresses = new long[CAPACITY];
    private final int[] sizes = new int[CAPACITY];
    private final long[] values = new long[CAPACITY];
    private int kept;
    private long total;

    void add(long address, int size, long value) {
        if (kept < CAPACITY) {
            addresses[kept] = address;
            sizes[kept] = size;
            values[kept] = value;
            kept++;
        }
        total++;
    }

    void clear() {
        kept = 0;
        total = 0;
    }

    /** Writes kept. */
    public int count() {
        return kept;
    }

    /** Writes made, including those not kept. */
    public long total() {
        return total;
    }

    /** Address of write {@code i}. */
    public long address(int i) {
        return addresses[i];
    }

    /** Size in bytes of write {@code i}. */
    public int size(int i) {
        return sizes[i];
    }

    /** Value of write {@code i} (its low {@code size} bytes). */
    public long value(int i) {
        return size(i) >= 8 ? values[i] : values[i] & ((1L << (8 * size(i))) - 1);
    }
}
