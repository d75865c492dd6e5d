package io.hvprobe.dwarf;

import java.util.HashMap;
import java.util.Map;

/** The abbreviation tables of {@code .debug_abbrev}, read on first use per offset. */
final class Abbreviations {
    static final int MAX_PER_TABLE = 1 << 20;
    static final int MAX_ATTRIBUTES = 1 << 10;

    /** One abbreviation: tag, children flag, attribute names, forms and implicit constants. */
    record Abbrev(int tag, boolean hasChildren, int[] names, int[] forms, long[] implicitConstants) {
    }

    /** Cap on abbreviations read over all tables: many units naming different tables cannot multiply work. */
    static final long MAX_TOTAL = 10_000_000L;

    private final byte[] section;
    private long total;
    private final Map<Long, Map<Long, Abbrev>> tables = new HashMap<>();

    Abbreviations(byte[] section) {
        this.section = section;
    }

    Map<Long, Abbrev> at(long offset) throws DwarfFormatException {
        Map<Long, Abbrev> t = tables.get(offset);
        if (t == null) {
            t = read(offset);
            tables.put(offset, t);
        }
        return t;
    }

    private Map<Long, Abbrev> read(long offset) throws DwarfFormatException {
        Cursor c = new Cursor(".debug_abbrev", section);
        c.seek(offset);
        Map<Long, Abbrev> table = new HashMap<>();
        while (true) {
            long code = c.uleb();
            if (code == 0) {
                return table;
            }
            if (++total > MAX_TOTAL) {
                throw c.error("more than " + MAX_TOTAL + " abbreviations read");
            }
            if (table.size() >= MAX_PER_TABLE) {
                throw c.error("more than " + MAX_PER_TABLE + " abbreviations in one table");
            }
            int tag = c.ulebInt("tag");
            boolean children = c.u8() != 0;
            int[] names = new int[8];
            int[] forms = new int[8];
            long[] consts = new long[8];
            int n = 0;
            while (true) {
                int name = c.ulebInt("attribute");
                int form = c.ulebInt("form");
                if (name == 0 && form == 0) {
                    break;
                }
                long value = form == Forms.IMPLICIT_CONST ? c.sleb() : 0;
                if (n == MAX_ATTRIBUTES) {
                    throw c.error("more than " + MAX_ATTRIBUTES + " attributes in one abbreviation");
                }
                if (n == names.length) {
                    names = java.util.Arrays.copyOf(names, n * 2);
                    forms = java.util.Arrays.copyOf(forms, n * 2);
                    consts = java.util.Arrays.copyOf(consts, n * 2);
                }
                names[n] = name;
                forms[n] = form;
                consts[n] = value;
                n++;
            }
            table.put(code, new Abbrev(tag, children, java.util.Arrays.copyOf(names, n),
                    java.util.Arrays.copyOf(forms, n), java.util.Arrays.copyOf(consts, n)));
        }
    }
}
