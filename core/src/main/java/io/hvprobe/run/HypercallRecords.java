package io.hvprobe.run;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * An immutable list of the first records of a {@link HypercallLog}, kept in the log's compact columns: each
 * {@link #get} builds the {@link HypercallRecord} anew (equal in content to the one logged; the plugin's answer,
 * trap detail and applied writes may be an equal instance shared with other records).
 */
public final class HypercallRecords extends AbstractList<HypercallRecord> implements RandomAccess {
    private final RecordColumns columns;
    private final int size;

    HypercallRecords(RecordColumns columns, int size) {
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
        List<HypercallRecord> found = new ArrayList<>();
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
        java.util.Objects.checkIndex(index, size);
        return columns.get(index);
    }

    @Override
    public int size() {
        return size;
    }
}
