package io.hvprobe.trace;

/**
 * The guest memory writes one instruction made, in order. A reused buffer: read it only inside the
 * {@link TraceSink} call that receives it. Keeps the first {@link #CAPACITY} writes and counts the rest
 * (a {@code rep stos} can write a lot).
 */
public final class MemoryWrites {
    /** Writes kept per instruction. */
    public static final int CAPACITY = 64;

    private final long[] addresses;
    private final int[] sizes;
    private final long[] values;
    private int kept;
    private long total;

    /** An empty buffer keeping up to {@link #CAPACITY} writes. */
    public MemoryWrites() {
        this(CAPACITY);
    }

    private MemoryWrites(int capacity) {
        addresses = new long[capacity];
        sizes = new int[capacity];
        values = new long[capacity];
    }

    /** A copy holding just the writes kept, for a reader on another thread ({@link TracePipeline}). */
    MemoryWrites copy() {
        MemoryWrites c = new MemoryWrites(kept);
        System.arraycopy(addresses, 0, c.addresses, 0, kept);
        System.arraycopy(sizes, 0, c.sizes, 0, kept);
        System.arraycopy(values, 0, c.values, 0, kept);
        c.kept = kept;
        c.total = total;
        return c;
    }

    void add(long address, int size, long value) {
        if (kept < addresses.length) {
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
