package io.hvprobe.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hypercalls of one run, in execution order. Bounded: past {@code capacity} entries only the count
 * grows, so a guest that loops on a hypercall cannot exhaust memory.
 */
public final class HypercallLog {
    /** Default number of records kept. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    private final List<HypercallRecord> records = new ArrayList<>();
    private long count;

    /** A log keeping at most {@code capacity} records. */
    public HypercallLog(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0");
        }
        this.capacity = capacity;
    }

    /** A log with the default capacity. */
    public HypercallLog() {
        this(DEFAULT_CAPACITY);
    }

    /** Appends a record (dropped, but counted, past the capacity). */
    public void add(HypercallRecord record) {
        count++;
        if (records.size() < capacity) {
            records.add(record);
        }
    }

    /** The kept records, oldest first. */
    public List<HypercallRecord> records() {
        return Collections.unmodifiableList(records);
    }

    /** How many hypercalls happened (including dropped ones). */
    public long count() {
        return count;
    }

    /** Whether records were dropped. */
    public boolean truncated() {
        return count > records.size();
    }

    /** The next sequence number. */
    public long nextSequence() {
        return count;
    }

    /** Forgets everything (between calls on one machine). */
    public void clear() {
        records.clear();
        count = 0;
    }
}
