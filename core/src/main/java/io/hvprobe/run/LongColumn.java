package io.hvprobe.run;

import java.util.Arrays;

/**
 * An append-only column of longs in chunks of {@value #CHUNK}: growing allocates the next chunk and copies nothing
 * (a 100,000-record log grew its arrays by copying them, a third of its appending cost). The first chunk starts
 * small and doubles up to the full size, so a log of a few records stays a few bytes.
 */
final class LongColumn {
    private static final int SHIFT = 12;
    /** Elements per chunk. */
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private long[][] chunks = {new long[16]};
    private int size;

    int size() {
        return size;
    }

    void add(long value) {
        int chunk = size >>> SHIFT;
        int at = size & MASK;
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunk * 2);
        }
        long[] c = chunks[chunk];
        if (c == null) {
            c = chunks[chunk] = new long[CHUNK];
        } else if (at == c.length) {
            c = chunks[chunk] = Arrays.copyOf(c, c.length * 2); // only the first chunk is ever short
        }
        c[at] = value;
        size++;
    }

    long get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return chunks[index >>> SHIFT][index & MASK];
    }
}
