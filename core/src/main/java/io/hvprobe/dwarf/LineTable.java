package io.hvprobe.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The address → (file, line, column) map of every line program, as non-empty half-open address intervals sorted
 * by start. Where several rows share an address the last one wins, as in binutils' {@code addr2line}.
 */
final class LineTable {
    /** One looked-up row. */
    record Row(String file, int line, int column) {
    }

    private final long[] start;
    private final long[] end;
    private final int[] file;
    private final int[] line;
    private final int[] column;
    private final List<String> files;

    private LineTable(Builder b) {
        int n = b.count;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compareUnsigned(b.start[x], b.start[y]));
        start = new long[n];
        end = new long[n];
        file = new int[n];
        line = new int[n];
        column = new int[n];
        for (int i = 0; i < n; i++) {
            int k = order[i];
            start[i] = b.start[k];
            end[i] = b.end[k];
            file[i] = b.file[k];
            line[i] = b.line[k];
            column[i] = b.column[k];
        }
        files = List.copyOf(b.files);
    }

    int size() {
        return start.length;
    }

    /** The row covering {@code address}. */
    Optional<Row> lookup(long address) {
        int lo = 0;
        int hi = start.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(start[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        // Sequences of sections that were not placed may overlap; look back a bounded way for a covering one.
        for (int i = found; i >= 0 && i > found - 64; i--) {
            if (Long.compareUnsigned(address, end[i]) < 0 && Long.compareUnsigned(start[i], address) <= 0) {
                return Optional.of(new Row(files.get(file[i]), line[i], column[i]));
            }
        }
        return Optional.empty();
    }

    /** Collects intervals from line programs; bounded by {@code maxRows}. */
    static final class Builder {
        private final int maxRows;
        private long[] start = new long[256];
        private long[] end = new long[256];
        private int[] file = new int[256];
        private int[] line = new int[256];
        private int[] column = new int[256];
        private int count;
        private final List<String> files = new ArrayList<>();
        private final Map<String, Integer> fileIds = new HashMap<>();

        Builder(int maxRows) {
            this.maxRows = maxRows;
        }

        int fileId(String path) {
            return fileIds.computeIfAbsent(path, p -> {
                files.add(p);
                return files.size() - 1;
            });
        }

        void add(long from, long to, int fileId, int lineNumber, int col) throws DwarfFormatException {
            if (Long.compareUnsigned(from, to) >= 0) {
                return;
            }
            if (count == maxRows) {
                throw new DwarfFormatException(".debug_line: more than " + maxRows + " rows");
            }
            if (count == start.length) {
                int n = Math.min(maxRows, count * 2);
                start = Arrays.copyOf(start, n);
                end = Arrays.copyOf(end, n);
                file = Arrays.copyOf(file, n);
                line = Arrays.copyOf(line, n);
                column = Arrays.copyOf(column, n);
            }
            start[count] = from;
            end[count] = to;
            file[count] = fileId;
            line[count] = lineNumber;
            column[count] = col;
            count++;
        }

        LineTable build() {
            return new LineTable(this);
        }
    }
}
