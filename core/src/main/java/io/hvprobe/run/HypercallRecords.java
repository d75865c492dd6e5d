package io.hvprobe.run;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.spi.TrapOutcome;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * An immutable list of the first records of a {@link HypercallLog}, kept in the log's compact columns: each
 * {@link #get} builds the {@link HypercallRecord} anew (equal in content to the one logged; the plugin's answer,
 * trap detail and applied writes may be an equal instance shared with other records). The log of a rerun that
 * continued from a point of an earlier run ({@link HypercallLog#continueAfter}) lists that run's records before its own.
 */
public final class HypercallRecords extends AbstractList<HypercallRecord> implements RandomAccess {
    /** No record. */
    static final HypercallRecords EMPTY = new HypercallRecords(null, new RecordColumns(), 0);

    /** The records of the run a rerun continued from, before its own (none: null). */
    private final HypercallRecords prefix;
    private final int prefixSize;
    private final RecordColumns columns;
    private final int size;

    HypercallRecords(HypercallRecords prefix, RecordColumns columns, int size) {
        this.prefix = prefix == null || prefix.isEmpty() ? null : prefix;
        this.prefixSize = this.prefix == null ? 0 : this.prefix.size();
        this.columns = columns;
        this.size = size;
    }

    /**
     * The records whose plugin answer carries findings, in order: without building the others (most records of a
     * long run have none).
     *
     * @return the records with findings, oldest first
     */
    public List<HypercallRecord> withFindings() {
        List<HypercallRecord> found = prefix == null ? new ArrayList<>() : new ArrayList<>(prefix.withFindings());
        for (int i : columns.withFindings()) {
            if (i >= size) {
                break;
            }
            found.add(columns.get(i));
        }
        return found;
    }

    /**
     * A reader of the records from {@code from} on, oldest first, that builds none of them: for a pass over every
     * record of a long run that needs only each one's command, answer and registers before (a rerun's observation
     * reads tens of thousands), where {@link #get} would decode each record's registers from the last one stored in
     * full and build its event and snapshots.
     *
     * @param from the index of the first record read, 0 to {@link #size()}
     * @return a reader before that record: call {@link Cursor#next()} first
     */
    public Cursor cursor(int from) {
        java.util.Objects.checkIndex(from, size() + 1);
        return new Cursor(this, from);
    }

    /**
     * Reads the records of a {@link HypercallRecords} in order (see {@link #cursor}). Not thread-safe; the values it
     * gives are the ones {@link HypercallRecords#get} gives for the same record.
     */
    public static final class Cursor {
        /** The column stores of the list and its prefixes, oldest first, and how many records each contributes. */
        private final List<RecordColumns> parts = new ArrayList<>();
        private final List<Integer> sizes = new ArrayList<>();
        private int part;
        /** The index within the current part of the current record: -1 before the first. */
        private int index;
        /** Whether {@link #before} holds the current part's record {@link #index}'s registers before. */
        private boolean decoded;
        private long[] before = new long[0];
        private TrapOutcome.Handled outcome;

        private Cursor(HypercallRecords records, int from) {
            collect(records);
            int skip = from;
            while (part < parts.size() && skip >= sizes.get(part)) {
                skip -= sizes.get(part);
                part++;
            }
            index = skip - 1;
        }

        private void collect(HypercallRecords r) {
            if (r.prefix != null) {
                collect(r.prefix);
            }
            parts.add(r.columns);
            sizes.add(r.size);
        }

        /** {@return whether there is a next record; moves to it if so} */
        public boolean next() {
            while (part < parts.size() && index + 1 >= sizes.get(part)) {
                part++;
                index = -1;
                decoded = false;
            }
            if (part >= parts.size()) {
                return false;
            }
            RecordColumns c = parts.get(part);
            index++;
            int registers = c.registers(index);
            if (before.length != registers) {
                before = new long[registers];
                decoded = false;
            }
            c.beforeInto(index, before, decoded);
            decoded = true;
            outcome = c.outcomeOrNull(index);
            return true;
        }

        /** {@return the current record's command, as {@link HypercallRecord#command()}} */
        public String command() {
            return outcome != null ? outcome.command() : parts.get(part).form(index).name();
        }

        /** {@return the plugin's answer at the current record, as {@link HypercallRecord#outcome()}} */
        public Optional<TrapOutcome.Handled> outcome() {
            return Optional.ofNullable(outcome);
        }

        /**
         * {@return the value of {@code register} before the current record's trap, as the record's event has it}
         *
         * @param register a register of the record's architecture
         */
        public long before(GuestRegister register) {
            return before[register.index()];
        }
    }

    @Override
    public HypercallRecord get(int index) {
        java.util.Objects.checkIndex(index, prefixSize + size);
        return index < prefixSize ? prefix.get(index) : columns.get(index - prefixSize);
    }

    @Override
    public int size() {
        return prefixSize + size;
    }
}
