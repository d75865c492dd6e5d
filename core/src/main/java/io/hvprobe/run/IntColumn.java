package io.hvprobe.run;

import java.util.Arrays;

/** An append-only column of ints in chunks, as {@link LongColumn} is of longs. */
final class IntColumn {
    private static final int SHIFT = 12;
    /** Elements per chunk. */
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    private int[][] chunks = {new int[16]};
    private int size;

    int size() {
        return size;
    }

    void add(int value) {
        int chunk = size >>> SHIFT;
        int at = size & MASK;
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunk * 2);
        }
        int[] c = chunks[chunk];
        if (c == null) {
            c = chunks[chunk] = new int[CHUNK];
        } else if (at == c.length) {
            c = chunks[chunk] = Arrays.copyOf(c, c.length * 2); // only the first chunk is ever short
        }
        c[at] = value;
        size++;
    }

    int get(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException(index + " of " + size);
        }
        return chunks[index >>> SHIFT][index & MASK];
    }
}
