package io.hvprobe.guest;

import java.util.Arrays;

/**
 * The guest pages a call's own instructions wrote, as a memory-write hook sees them: what a {@link ResumePoint} keeps
 * of guest memory (the rest is as the call found it). Not thread-safe.
 */
public final class WrittenPages {
    private static final long EMPTY = -1;
    private long[] slots = new long[64];
    private int size;
    /** The page of the last write: a loop storing to one buffer or stack frame skips the table. */
    private long lastPage = EMPTY;

    /** No page written yet. */
    public WrittenPages() {
        Arrays.fill(slots, EMPTY);
    }

    /**
     * Notes a write of {@code size} bytes at {@code address}, into one page or two.
     *
     * @param address the first byte written
     * @param size    bytes written, 1 or more
     */
    public void add(long address, int size) {
        long first = MemoryLayout.pageDown(address);
        long last = MemoryLayout.pageDown(address + Math.max(size, 1) - 1);
        if (first == lastPage && last == first) {
            return;
        }
        for (long page = first; Long.compareUnsigned(page, last) <= 0; page += MemoryLayout.PAGE) {
            insert(page);
            if (page == last) {
                break; // the last page of the address space: do not wrap
            }
        }
        lastPage = last;
    }

    private void insert(long page) {
        if ((size + 1) * 2 > slots.length) {
            long[] old = slots;
            slots = new long[old.length * 2];
            Arrays.fill(slots, EMPTY);
            size = 0;
            for (long p : old) {
                if (p != EMPTY) {
                    insert(p);
                }
            }
        }
        int mask = slots.length - 1;
        for (int i = (int) (page >>> 12 ^ page >>> 29) & mask; ; i = (i + 1) & mask) {
            if (slots[i] == page) {
                return;
            }
            if (slots[i] == EMPTY) {
                slots[i] = page;
                size++;
                return;
            }
        }
    }

    /** {@return the written pages' addresses, each once} */
    public long[] pages() {
        long[] out = new long[size];
        int n = 0;
        for (long p : slots) {
            if (p != EMPTY) {
                out[n++] = p;
            }
        }
        Arrays.sort(out);
        return out;
    }
}
