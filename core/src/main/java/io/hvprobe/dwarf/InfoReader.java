package io.hvprobe.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code .debug_info} (DWARF 2 to 5 compile and partial units): for every unit its line program, and for
 * every subprogram and inlined subroutine with code its address ranges, its name and, when inlined, its call
 * site. Work is bounded by {@link Limits}.
 */
final class InfoReader {
    private static final int TAG_COMPILE_UNIT = 0x11;
    private static final int TAG_PARTIAL_UNIT = 0x3c;
    private static final int TAG_SUBPROGRAM = 0x2e;
    private static final int TAG_INLINED_SUBROUTINE = 0x1d;

    private static final int AT_NAME = 0x03;
    private static final int AT_STMT_LIST = 0x10;
    private static final int AT_LOW_PC = 0x11;
    private static final int AT_HIGH_PC = 0x12;
    private static final int AT_COMP_DIR = 0x1b;
    private static final int AT_ABSTRACT_ORIGIN = 0x31;
    private static final int AT_SPECIFICATION = 0x47;
    private static final int AT_RANGES = 0x55;
    private static final int AT_CALL_COLUMN = 0x57;
    private static final int AT_CALL_FILE = 0x58;
    private static final int AT_CALL_LINE = 0x59;
    private static final int AT_LINKAGE_NAME = 0x6e;
    private static final int AT_STR_OFFSETS_BASE = 0x72;
    private static final int AT_ADDR_BASE = 0x73;
    private static final int AT_RNGLISTS_BASE = 0x74;
    private static final int AT_MIPS_LINKAGE_NAME = 0x2007;

    private static final int MAX_DEPTH = 4096;

    /** Caps on the work one file may cause. */
    record Limits(long maxEntries, int maxRows, int maxRanges) {
        static final Limits DEFAULT = new Limits(50_000_000L, 10_000_000, 4_000_000);
    }

    /** A unit's context for decoding forms. */
    static final class Unit {
        long offset;
        int version;
        int addressSize;
        int offsetSize;
        long strOffsetsBase = -1;
        long addrBase = -1;
        long rnglistsBase = -1;
        long base;
        String name = "";
        String compDir = "";
        List<String> files = List.of();
    }

    /** A subprogram or inlined subroutine with code. */
    static final class Scope {
        final long[] ranges;
        final int parent;
        final boolean inlined;
        final long nameDie;
        final int unit;
        final int callFile;
        final int callLine;
        final int callColumn;
        int[] children = new int[0];

        Scope(long[] ranges, int parent, boolean inlined, long nameDie, int unit, int callFile, int callLine,
              int callColumn) {
            this.ranges = ranges;
            this.parent = parent;
            this.inlined = inlined;
            this.nameDie = nameDie;
            this.unit = unit;
            this.callFile = callFile;
            this.callLine = callLine;
            this.callColumn = callColumn;
        }

        boolean contains(long address) {
            for (int i = 0; i < ranges.length; i += 2) {
                if (Long.compareUnsigned(ranges[i], address) <= 0 && Long.compareUnsigned(address, ranges[i + 1]) < 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A subprogram's naming attributes: its own name, or the DIE it takes the name from. */
    record Naming(String name, long reference) {
    }

    private final DebugSections s;
    private final Limits limits;
    private final Abbreviations abbreviations;
    final List<Unit> units = new ArrayList<>();
    final List<Scope> scopes = new ArrayList<>();
    final Map<Long, Naming> names = new HashMap<>();
    final LineTable.Builder rows;
    private final Map<Long, List<String>> programs = new HashMap<>();
    private long entries;
    private long rangeCount;
    private long lineBytes;

    // Values of the attributes of interest of the DIE being read, by slot.
    private final int[] form = new int[SLOTS];
    private final long[] value = new long[SLOTS];
    private final String[] text = new String[SLOTS];
    private static final int SLOTS = 16;

    InfoReader(DebugSections s, Limits limits) {
        this.s = s;
        this.limits = limits;
        this.abbreviations = new Abbreviations(s.abbrev());
        this.rows = new LineTable.Builder(limits.maxRows());
    }

    private static int slot(int attribute) {
        return switch (attribute) {
            case AT_NAME -> 0;
            case AT_STMT_LIST -> 1;
            case AT_LOW_PC -> 2;
            case AT_HIGH_PC -> 3;
            case AT_COMP_DIR -> 4;
            case AT_ABSTRACT_ORIGIN -> 5;
            case AT_SPECIFICATION -> 6;
            case AT_RANGES -> 7;
            case AT_CALL_COLUMN -> 8;
            case AT_CALL_FILE -> 9;
            case AT_CALL_LINE -> 10;
            case AT_LINKAGE_NAME, AT_MIPS_LINKAGE_NAME -> 11;
            case AT_STR_OFFSETS_BASE -> 12;
            case AT_ADDR_BASE -> 13;
            case AT_RNGLISTS_BASE -> 14;
            default -> -1;
        };
    }

    void read() throws DwarfFormatException {
        Cursor c = new Cursor(".debug_info", s.info());
        while (!c.atEnd()) {
            long unitOffset = c.position();
            Cursor.UnitLength length = c.unitLength();
            long unitEnd = c.position() + length.length();
            Cursor u = new Cursor(".debug_info", s.info(), c.position(), unitEnd);
            c.seek(unitEnd);
            readUnit(u, unitOffset, length.offsetSize());
        }
        linkChildren();
    }

    private void readUnit(Cursor c, long unitOffset, int offsetSize) throws DwarfFormatException {
        Unit unit = new Unit();
        unit.offset = unitOffset;
        unit.offsetSize = offsetSize;
        unit.version = c.u16();
        long abbrevOffset;
        if (unit.version == 5) {
            int type = c.u8();
            unit.addressSize = c.u8();
            abbrevOffset = c.unsigned(offsetSize);
            if (type != 1 && type != 3) {
                return; // type, skeleton and split units carry no code ranges of their own here
            }
        } else if (unit.version >= 2 && unit.version <= 4) {
            abbrevOffset = c.unsigned(offsetSize);
            unit.addressSize = c.u8();
        } else {
            throw c.error("unsupported DWARF version " + unit.version);
        }
        if (unit.addressSize != 4 && unit.addressSize != 8) {
            throw c.error("address size " + unit.addressSize);
        }
        Map<Long, Abbreviations.Abbrev> table = abbreviations.at(abbrevOffset);
        int unitIndex = units.size();
        units.add(unit);
        int[] scopeAt = new int[64];
        int depth = 0;
        scopeAt[0] = -1;
        boolean root = true;
        while (!c.atEnd()) {
            long dieOffset = c.position();
            long code = c.uleb();
            if (code == 0) {
                depth--;
                if (depth < 0) {
                    return; // padding after the root's children
                }
                continue;
            }
            if (++entries > limits.maxEntries()) {
                throw c.error("more than " + limits.maxEntries() + " debugging entries");
            }
            Abbreviations.Abbrev a = table.get(code);
            if (a == null) {
                throw c.error("unknown abbreviation code " + code);
            }
            readAttributes(c, unit, a);
            int current = scopeAt[depth];
            if (root) {
                root = false;
                if (a.tag() != TAG_COMPILE_UNIT && a.tag() != TAG_PARTIAL_UNIT) {
                    return;
                }
                unitAttributes(unit);
            } else if (a.tag() == TAG_SUBPROGRAM || a.tag() == TAG_INLINED_SUBROUTINE) {
                boolean inlined = a.tag() == TAG_INLINED_SUBROUTINE;
                if (a.tag() == TAG_SUBPROGRAM) {
                    names.put(dieOffset, naming(unit));
                }
                long[] ranges = ranges(unit);
                if (ranges.length > 0) {
                    long origin = form[5] != 0 ? reference(unit, 5) : dieOffset;
                    scopes.add(new Scope(ranges, current, inlined, inlined ? origin : dieOffset, unitIndex,
                            intValue(9), intValue(10), intValue(8)));
                    current = scopes.size() - 1;
                }
            }
            if (a.hasChildren()) {
                depth++;
                if (depth >= MAX_DEPTH) {
                    throw c.error("entries nested deeper than " + MAX_DEPTH);
                }
                if (depth == scopeAt.length) {
                    scopeAt = java.util.Arrays.copyOf(scopeAt, depth * 2);
                }
                scopeAt[depth] = current;
            }
        }
    }

    private int intValue(int slot) {
        return form[slot] == 0 ? 0 : (int) Math.max(0, Math.min(Integer.MAX_VALUE, value[slot]));
    }

    private Naming naming(Unit unit) throws DwarfFormatException {
        String name = form[0] != 0 ? string(unit, 0) : form[11] != 0 ? string(unit, 11) : null;
        long ref = form[5] != 0 ? reference(unit, 5) : form[6] != 0 ? reference(unit, 6) : -1;
        return new Naming(name, ref);
    }

    private long reference(Unit unit, int slot) {
        return Forms.isUnitReference(form[slot]) ? unit.offset + value[slot] : value[slot];
    }

    private void unitAttributes(Unit unit) throws DwarfFormatException {
        if (form[12] != 0) {
            unit.strOffsetsBase = value[12];
        }
        if (form[13] != 0) {
            unit.addrBase = value[13];
        }
        if (form[14] != 0) {
            unit.rnglistsBase = value[14];
        }
        unit.name = form[0] != 0 ? string(unit, 0) : "";
        unit.compDir = form[4] != 0 ? string(unit, 4) : "";
        unit.base = form[2] != 0 ? address(unit, 2) : 0;
        if (form[1] != 0) {
            long offset = value[1];
            List<String> files = programs.get(offset);
            if (files == null) {
                lineBytes += LineProgram.length(s, offset);
                if (lineBytes > 2L * s.line().length + (1 << 20)) {
                    throw new DwarfFormatException(".debug_line: units read more than twice over");
                }
                files = LineProgram.read(s, offset, unit.compDir, unit.addressSize, rows);
                programs.put(offset, files);
            }
            unit.files = files;
        }
    }

    private void readAttributes(Cursor c, Unit unit, Abbreviations.Abbrev a) throws DwarfFormatException {
        java.util.Arrays.fill(form, 0);
        int[] names = a.names();
        int[] forms = a.forms();
        for (int i = 0; i < names.length; i++) {
            int f = forms[i];
            int slot = slot(names[i]);
            int guard = 0;
            while (f == Forms.INDIRECT) {
                f = c.ulebInt("indirect form");
                if (++guard > 4) {
                    throw c.error("indirect form chain");
                }
            }
            long v = 0;
            String str = null;
            switch (f) {
                case Forms.ADDR -> v = c.unsigned(unit.addressSize);
                case Forms.DATA1, Forms.REF1, Forms.FLAG, Forms.STRX1, Forms.ADDRX1 -> v = c.u8();
                case Forms.DATA2, Forms.REF2, Forms.STRX2, Forms.ADDRX2 -> v = c.u16();
                case Forms.STRX3, Forms.ADDRX3 -> v = c.u24();
                case Forms.DATA4, Forms.REF4, Forms.STRX4, Forms.ADDRX4, Forms.REF_SUP4 -> v = c.u32();
                case Forms.DATA8, Forms.REF8, Forms.REF_SIG8, Forms.REF_SUP8 -> v = c.u64();
                case Forms.DATA16 -> c.skip(16);
                case Forms.SDATA -> v = c.sleb();
                case Forms.UDATA, Forms.REF_UDATA, Forms.STRX, Forms.ADDRX, Forms.LOCLISTX, Forms.RNGLISTX,
                     Forms.GNU_ADDR_INDEX, Forms.GNU_STR_INDEX -> v = c.uleb();
                case Forms.STRING -> str = c.cstring();
                case Forms.STRP, Forms.LINE_STRP, Forms.SEC_OFFSET, Forms.STRP_SUP, Forms.GNU_REF_ALT,
                     Forms.GNU_STRP_ALT -> v = c.unsigned(unit.offsetSize);
                case Forms.REF_ADDR -> v = c.unsigned(unit.version <= 2 ? unit.addressSize : unit.offsetSize);
                case Forms.BLOCK1 -> c.skip(c.u8());
                case Forms.BLOCK2 -> c.skip(c.u16());
                case Forms.BLOCK4 -> c.skip(c.u32());
                case Forms.BLOCK, Forms.EXPRLOC -> c.skip(c.uleb());
                case Forms.FLAG_PRESENT -> v = 1;
                case Forms.IMPLICIT_CONST -> v = a.implicitConstants()[i];
                default -> throw c.error("unknown attribute form 0x" + Integer.toHexString(f));
            }
            if (slot >= 0) {
                form[slot] = f;
                value[slot] = v;
                text[slot] = str;
            }
        }
    }

    private String string(Unit unit, int slot) throws DwarfFormatException {
        int f = form[slot];
        long v = value[slot];
        if (f == Forms.STRING) {
            return text[slot];
        }
        if (f == Forms.STRP) {
            return Cursor.stringAt(".debug_str", s.str(), v);
        }
        if (f == Forms.LINE_STRP) {
            return Cursor.stringAt(".debug_line_str", s.lineStr(), v);
        }
        if (Forms.isStringIndex(f)) {
            long base = unit.strOffsetsBase >= 0 ? unit.strOffsetsBase : 8;
            Cursor c = new Cursor(".debug_str_offsets", s.strOffsets());
            c.seek(checkedOffset(c, base, v, unit.offsetSize));
            return Cursor.stringAt(".debug_str", s.str(), c.unsigned(unit.offsetSize));
        }
        return null; // a supplementary-file string: not read
    }

    private static long checkedOffset(Cursor c, long base, long index, int size) throws DwarfFormatException {
        if (base < 0 || index < 0 || index > (Integer.MAX_VALUE - base) / size) {
            throw c.error("index " + index + " from base 0x" + Long.toHexString(base) + " out of range");
        }
        return base + index * size;
    }

    private long address(Unit unit, int slot) throws DwarfFormatException {
        return Forms.isAddressIndex(form[slot]) ? indexedAddress(unit, value[slot]) : value[slot];
    }

    private long indexedAddress(Unit unit, long index) throws DwarfFormatException {
        long base = unit.addrBase >= 0 ? unit.addrBase : 8;
        Cursor c = new Cursor(".debug_addr", s.addr());
        c.seek(checkedOffset(c, base, index, unit.addressSize));
        return c.unsigned(unit.addressSize);
    }

    private long[] ranges(Unit unit) throws DwarfFormatException {
        if (form[7] != 0) {
            return form[7] == Forms.RNGLISTX ? rnglist(unit, rnglistOffset(unit, value[7]))
                    : unit.version >= 5 ? rnglist(unit, value[7]) : debugRanges(unit, value[7]);
        }
        if (form[2] != 0 && form[3] != 0) {
            long low = address(unit, 2);
            boolean absolute = form[3] == Forms.ADDR || Forms.isAddressIndex(form[3]);
            long high = absolute ? address(unit, 3) : low + value[3];
            countRanges(1);
            return Long.compareUnsigned(low, high) < 0 ? new long[] {low, high} : new long[0];
        }
        return new long[0];
    }

    private void countRanges(long n) throws DwarfFormatException {
        rangeCount += n;
        if (rangeCount > limits.maxRanges()) {
            throw new DwarfFormatException(".debug_info: more than " + limits.maxRanges() + " address ranges");
        }
    }

    private long rnglistOffset(Unit unit, long index) throws DwarfFormatException {
        long base = unit.rnglistsBase >= 0 ? unit.rnglistsBase : 12;
        Cursor c = new Cursor(".debug_rnglists", s.rnglists());
        c.seek(checkedOffset(c, base, index, unit.offsetSize));
        return base + c.unsigned(unit.offsetSize);
    }

    private long[] rnglist(Unit unit, long offset) throws DwarfFormatException {
        Cursor c = new Cursor(".debug_rnglists", s.rnglists());
        c.seek(offset);
        Ranges out = new Ranges();
        long base = unit.base;
        while (true) {
            int kind = c.u8();
            long from;
            long to;
            switch (kind) {
                case 0 -> {
                    return out.toArray();
                }
                case 1 -> {
                    base = indexedAddress(unit, c.uleb());
                    continue;
                }
                case 2 -> {
                    from = indexedAddress(unit, c.uleb());
                    to = indexedAddress(unit, c.uleb());
                }
                case 3 -> {
                    from = indexedAddress(unit, c.uleb());
                    to = from + c.uleb();
                }
                case 4 -> {
                    from = base + c.uleb();
                    to = base + c.uleb();
                }
                case 5 -> {
                    base = c.unsigned(unit.addressSize);
                    continue;
                }
                case 6 -> {
                    from = c.unsigned(unit.addressSize);
                    to = c.unsigned(unit.addressSize);
                }
                case 7 -> {
                    from = c.unsigned(unit.addressSize);
                    to = from + c.uleb();
                }
                default -> throw c.error("unknown range list entry kind " + kind);
            }
            addRange(c, out, from, to);
        }
    }

    private long[] debugRanges(Unit unit, long offset) throws DwarfFormatException {
        Cursor c = new Cursor(".debug_ranges", s.ranges());
        c.seek(offset);
        long selector = unit.addressSize == 8 ? -1L : 0xffffffffL;
        Ranges out = new Ranges();
        long base = unit.base;
        while (true) {
            long from = c.unsigned(unit.addressSize);
            long to = c.unsigned(unit.addressSize);
            if (from == 0 && to == 0) {
                return out.toArray();
            }
            if (from == selector) {
                base = to;
                continue;
            }
            addRange(c, out, base + from, base + to);
        }
    }

    private void addRange(Cursor c, Ranges out, long from, long to) throws DwarfFormatException {
        // Every entry read counts, empty ones too, so a list shared by many entries cannot multiply the work.
        countRanges(1);
        if (Long.compareUnsigned(from, to) < 0) {
            out.add(from, to);
        }
    }

    /** A growable list of [from, to) pairs. */
    private static final class Ranges {
        private long[] values = new long[8];
        private int size;

        void add(long from, long to) {
            if (size + 2 > values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = from;
            values[size++] = to;
        }

        long[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    private void linkChildren() {
        int[] counts = new int[scopes.size()];
        for (Scope sc : scopes) {
            if (sc.parent >= 0) {
                counts[sc.parent]++;
            }
        }
        for (int i = 0; i < counts.length; i++) {
            scopes.get(i).children = new int[counts[i]];
            counts[i] = 0;
        }
        for (int i = 0; i < scopes.size(); i++) {
            int p = scopes.get(i).parent;
            if (p >= 0) {
                scopes.get(p).children[counts[p]++] = i;
            }
        }
    }
}
