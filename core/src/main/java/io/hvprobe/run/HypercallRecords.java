package io.hvprobe.run;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
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
