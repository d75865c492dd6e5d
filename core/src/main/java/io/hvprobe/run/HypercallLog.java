package io.hvprobe.run;

import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;

import java.util.List;
import java.util.Optional;

/**
 * The hypercalls of one run, in execution order. Bounded: past {@code capacity} entries, or once the
 * guest-memory bytes the kept records carry (their outcomes' memory writes, e.g. 64 KiB high-bandwidth
 * receives) would pass {@code maxMemoryBytes}, only the count grows, so a guest that loops on a hypercall
 * cannot exhaust memory. The records are stored in primitive columns ({@link RecordColumns}: about 0.1 kB each
 * for a loop of identical calls) and built as {@link HypercallRecord}s when read.
 */
public final class HypercallLog {
    /** Default number of records kept. */
    public static final int DEFAULT_CAPACITY = 100_000;
    /** Default bound on the memory-write bytes the kept records hold. */
    public static final long DEFAULT_MAX_MEMORY_BYTES = 64L << 20;

    private final int capacity;
    private final long maxMemoryBytes;
    /** Replaced, never emptied, by {@link #clear()}: lists handed out by {@link #records()} stay as they were. */
    private RecordColumns records = new RecordColumns();
    /** The records another run logged before the point this run continues from ({@link #continueAfter}); or empty. */
    private HypercallRecords prefix = HypercallRecords.EMPTY;
    private long count;
    private long memoryBytes;
    private boolean full;

    /**
     * The hypercalls a run logged before some moment, for a rerun that continues from there ({@link #continueAfter}).
     *
     * @param records     the records, all of them (none was dropped)
     * @param memoryBytes the memory-write bytes they hold, as the bound counts them
     */
    public record Prefix(HypercallRecords records, long memoryBytes) {
    }

    /**
     * A log keeping at most {@code capacity} records, holding at most {@link #DEFAULT_MAX_MEMORY_BYTES}.
     *
     * @param capacity the most records kept, 0 or more (0 keeps none but still counts)
     * @throws IllegalArgumentException when {@code capacity} is negative
     */
    public HypercallLog(int capacity) {
        this(capacity, DEFAULT_MAX_MEMORY_BYTES);
    }

    /**
     * A log keeping at most {@code capacity} records, whose outcomes' memory writes add up to at most
     * {@code maxMemoryBytes}.
     *
     * @param capacity       the most records kept, 0 or more
     * @param maxMemoryBytes the most bytes of plugin memory writes the kept records may hold, 0 or more
     * @throws IllegalArgumentException when either bound is negative
     */
    public HypercallLog(int capacity, long maxMemoryBytes) {
        if (capacity < 0 || maxMemoryBytes < 0) {
            throw new IllegalArgumentException("capacity and maxMemoryBytes must be >= 0");
        }
        this.capacity = capacity;
        this.maxMemoryBytes = maxMemoryBytes;
    }

    /** A log with the default capacity. */
    public HypercallLog() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * Appends a record (dropped, but counted, past the capacity or the memory bound; once one is dropped, all
     * later ones are too, so the kept records are always a prefix of the run).
     *
     * @param record the record of the call that just happened
     */
    public void add(HypercallRecord record) {
        if (keep(record.outcome())) {
            records.add(record);
        }
    }

    /**
     * Appends the record of a handled trap given by its parts, as {@link #add(HypercallRecord)} does with {@code new
     * HypercallRecord(event, plugin, outcome, after, applied)} where {@code after} is the event's registers with
     * {@code applied} applied and the program counter past the trap (or still at it when the call does not return)
     * — the registers the trap interceptor leaves — without building the record or a snapshot of them, and without
     * comparing them: the trap path's way when nobody else wants the record.
     *
     * @param event   the trap as the plugins saw it
     * @param plugin  name of the plugin that handled it
     * @param outcome the plugin's answer
     * @param applied register writes actually applied, in order (copied unless immutable)
     * @param returns whether the program counter was moved past the trap ({@code false}: it stays at the trap)
     */
    public void add(TrapEvent event, Optional<String> plugin, Optional<TrapOutcome.Handled> outcome,
                    List<RegisterWrite> applied, boolean returns) {
        if (keep(outcome)) {
            records.add(event, plugin, outcome, List.copyOf(applied), returns);
        }
    }

    /** Counts a hypercall; whether its record is kept (false past the capacity or the memory bound). */
    private boolean keep(Optional<TrapOutcome.Handled> outcome) {
        count++;
        long bytes = 0;
        if (outcome.isPresent() && !outcome.get().memoryWrites().isEmpty()) { // no iterator for the usual none
            for (MemoryWrite w : outcome.get().memoryWrites()) {
                bytes += w.length();
            }
        }
        if (full || prefix.size() + records.size() >= capacity || memoryBytes + bytes > maxMemoryBytes) {
            full = true;
            return false;
        }
        memoryBytes += bytes;
        return true;
    }

    /**
     * The records kept so far, oldest first: an immutable list (records added later are not in it), built from
     * the compact columns as it is read.
     *
     * @return the kept records
     */
    public HypercallRecords records() {
        return new HypercallRecords(prefix, records, records.size());
    }

    /** {@return how many hypercalls happened, dropped ones included} */
    public long count() {
        return count;
    }

    /** {@return whether records were dropped (past the capacity or the memory bound)} */
    public boolean truncated() {
        return count > prefix.size() + records.size();
    }

    /** {@return the sequence number the next hypercall gets: the count so far} */
    public long nextSequence() {
        return count;
    }

    /**
     * What is logged so far, for a rerun that continues from now ({@link #continueAfter}); empty once records were
     * dropped.
     *
     * @return the records so far and the bytes they hold, or empty
     */
    public java.util.Optional<Prefix> prefix() {
        return truncated() ? java.util.Optional.empty() : java.util.Optional.of(new Prefix(records(), memoryBytes));
    }

    /**
     * Forgets everything and continues after {@code before}: as if its records had been logged by this run (the next
     * hypercall gets the sequence number after theirs, the bounds count them). Reading {@code before} costs nothing
     * here: its records stay where they are.
     *
     * @param before what an earlier run of the same call had logged at the point a rerun continues from
     */
    public void continueAfter(Prefix before) {
        clear();
        prefix = before.records();
        count = prefix.size();
        memoryBytes = before.memoryBytes();
    }

    /** Forgets everything (between calls on one machine). */
    public void clear() {
        prefix = HypercallRecords.EMPTY;
        records = new RecordColumns();
        count = 0;
        memoryBytes = 0;
        full = false;
    }
}
