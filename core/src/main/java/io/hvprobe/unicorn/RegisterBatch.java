package io.hvprobe.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Native buffers for {@code uc_reg_read_batch}/{@code uc_reg_write_batch}, allocated once per engine so that
 * batched register access (the tracing hot path) allocates nothing: an id array, a value array and the array of
 * pointers into the value array that the C API wants, one set for reads and one for writes.
 */
final class RegisterBatch {
    /** More than either architecture has registers in Unicorn 2.0.1 (x86: 258, arm64: 292). */
    static final int CAPACITY = 320;

    private final MemorySegment uc;
    private final MemorySegment ids;
    private final MemorySegment values;
    private final MemorySegment pointers;
    /**
     * {@link #ids} and {@link #pointers} as the read's downcall takes them: views of the same addresses without the
     * arena's scope, since passing a shared arena's segment to a downcall acquires and releases its session (two
     * atomic updates per segment, on every traced instruction). The arena outlives every read: the engine checks
     * that it is open before each one, and closes the arena only in {@code close}.
     */
    private final MemorySegment idsArgument;
    private final MemorySegment pointersArgument;
    // Writes have buffers of their own, so a trap's write-back does not make the next read reload its ids.
    private final MemorySegment writeIds;
    private final MemorySegment writeValues;
    private final MemorySegment writePointers;
    /** {@link #writeIds} and {@link #writePointers} as the write's downcall takes them, as for the read above. */
    private final MemorySegment writeIdsArgument;
    private final MemorySegment writePointersArgument;
    /** The ids in {@link #ids} with their values zeroed for a read, or {@code loadedCount == -1}. */
    private final int[] loadedIds = new int[CAPACITY];
    private int loadedCount = -1;

    RegisterBatch(MemorySegment uc, Arena arena) {
        this.uc = uc;
        this.ids = arena.allocate(JAVA_INT, CAPACITY);
        this.values = arena.allocate(JAVA_LONG, CAPACITY);
        this.pointers = pointersInto(values, arena);
        this.idsArgument = MemorySegment.ofAddress(ids.address());
        this.pointersArgument = MemorySegment.ofAddress(pointers.address());
        this.writeIds = arena.allocate(JAVA_INT, CAPACITY);
        this.writeValues = arena.allocate(JAVA_LONG, CAPACITY);
        this.writePointers = pointersInto(writeValues, arena);
        this.writeIdsArgument = MemorySegment.ofAddress(writeIds.address());
        this.writePointersArgument = MemorySegment.ofAddress(writePointers.address());
    }

    /** The array of pointers to each slot of {@code vals} that the C API wants. */
    private static MemorySegment pointersInto(MemorySegment vals, Arena arena) {
        MemorySegment p = arena.allocate(ADDRESS, CAPACITY);
        // Raw addresses (pointers are 8 bytes on both supported hosts): no slice object per slot and engine.
        for (int i = 0; i < CAPACITY; i++) {
            p.setAtIndex(JAVA_LONG, i, vals.address() + i * JAVA_LONG.byteSize());
        }
        return p;
    }

    void read(int[] regIds, long[] out) {
        int n = checkCount(regIds, out);
        if (n != loadedCount || !Arrays.equals(loadedIds, 0, n, regIds, 0, n)) {
            load(regIds, n);
        }
        int err;
        try {
            err = (int) UcNative.UC_REG_READ_BATCH.invokeExact(uc, idsArgument, pointersArgument, n);
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        }
        UnicornException.check("uc_reg_read_batch", err);
        MemorySegment.copy(values, JAVA_LONG, 0, out, 0, n);
    }

    /**
     * Puts {@code regIds} into the native id array and zeroes the values: some registers (segment selectors, NZCV,
     * PSTATE) are narrower than 8 bytes and Unicorn writes only their low bytes. Reads with the same ids (the
     * tracer's and path recorder's per-instruction reads) then skip both: a narrow register's upper bytes are still
     * zero, since nothing else writes into the read buffers.
     */
    private void load(int[] regIds, int n) {
        for (int i = 0; i < n; i++) {
            ids.setAtIndex(JAVA_INT, i, regIds[i]);
            values.setAtIndex(JAVA_LONG, i, 0L);
        }
        System.arraycopy(regIds, 0, loadedIds, 0, n);
        loadedCount = n;
    }

    void write(int[] regIds, long[] in) {
        write(regIds, in, checkCount(regIds, in));
    }

    /** Writes the first {@code n} registers of {@code regIds}/{@code in}. */
    void write(int[] regIds, long[] in, int n) {
        if (n > CAPACITY || n > regIds.length || n > in.length) {
            throw new IllegalArgumentException("batch of " + n + " registers out of range");
        }
        for (int i = 0; i < n; i++) {
            writeIds.setAtIndex(JAVA_INT, i, regIds[i]);
            writeValues.setAtIndex(JAVA_LONG, i, in[i]);
        }
        int err;
        try {
            err = (int) UcNative.UC_REG_WRITE_BATCH.invokeExact(uc, writeIdsArgument, writePointersArgument, n);
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        }
        UnicornException.check("uc_reg_write_batch", err);
    }

    private static int checkCount(int[] regIds, long[] vals) {
        int n = regIds.length;
        if (n > CAPACITY) {
            throw new IllegalArgumentException("at most " + CAPACITY + " registers per batch, got " + n);
        }
        if (vals.length < n) {
            throw new IllegalArgumentException(n + " register ids but room for " + vals.length + " values");
        }
        return n;
    }
}
