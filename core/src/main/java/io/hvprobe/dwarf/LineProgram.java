package io.hvprobe.dwarf;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads one line-number program of {@code .debug_line} (DWARF 2 to 5): its file table as full paths, and its rows
 * into a {@link LineTable.Builder}.
 */
final class LineProgram {
    private static final int MAX_TABLE_ENTRIES = 1 << 20;

    private LineProgram() {
    }

    /** The length of the line-table unit at {@code offset}, for the caller's work budget. */
    static long length(DebugSections s, long offset) throws DwarfFormatException {
        Cursor c = new Cursor(".debug_line", s.line());
        c.seek(offset);
        long length = c.u32();
        return length == 0xffffffffL ? c.u64() : length;
    }

    /**
     * Parses the program at {@code offset} and returns its file table, indexed by DWARF file number (for versions
     * before 5, index 0 is an empty placeholder because numbering starts at 1).
     */
    static List<String> read(DebugSections s, long offset, String compDir, int addressSize, LineTable.Builder rows)
            throws DwarfFormatException {
        Cursor c = new Cursor(".debug_line", s.line());
        c.seek(offset);
        Cursor.UnitLength length = c.unitLength();
        int offsetSize = length.offsetSize();
        Cursor unit = new Cursor(".debug_line", s.line(), c.position(), c.position() + length.length());
        int version = unit.u16();
        if (version < 2 || version > 5) {
            throw unit.error("unsupported line table version " + version);
        }
        if (version >= 5) {
            addressSize = unit.u8();
            unit.u8(); // segment selector size
        }
        long headerLength = unit.unsigned(offsetSize);
        if (headerLength < 0 || headerLength > unit.end() - unit.position()) {
            throw unit.error("header length 0x" + Long.toHexString(headerLength) + " past end");
        }
        long programStart = unit.position() + headerLength;
        int minInstLength = unit.u8();
        if (version >= 4) {
            unit.u8(); // maximum operations per instruction: 1 on x86_64 and arm64
        }
        boolean defaultIsStmt = unit.u8() != 0;
        int lineBase = (byte) unit.u8();
        int lineRange = unit.u8();
        int opcodeBase = unit.u8();
        if (lineRange == 0 || opcodeBase == 0) {
            throw unit.error("line_range " + lineRange + ", opcode_base " + opcodeBase);
        }
        int[] argCounts = new int[opcodeBase];
        for (int i = 1; i < opcodeBase; i++) {
            argCounts[i] = unit.u8();
        }
        List<String> files = version >= 5 ? v5Tables(unit, s, offsetSize, compDir) : v4Tables(unit, compDir);
        int[] fileIds = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            fileIds[i] = rows.fileId(files.get(i));
        }
        unit.seek(programStart);
        run(unit, rows, fileIds, addressSize, minInstLength, lineBase, lineRange, opcodeBase, argCounts);
        return files;
    }

    private static List<String> v4Tables(Cursor c, String compDir) throws DwarfFormatException {
        List<String> dirs = new ArrayList<>();
        dirs.add(compDir);
        for (String d = c.cstring(); !d.isEmpty(); d = c.cstring()) {
            checkCount(c, dirs.size());
            dirs.add(d);
        }
        List<String> files = new ArrayList<>();
        files.add("");
        for (String f = c.cstring(); !f.isEmpty(); f = c.cstring()) {
            checkCount(c, files.size());
            long dir = c.uleb();
            c.uleb(); // modification time
            c.uleb(); // length
            files.add(join(compDir, dir >= 0 && dir < dirs.size() ? dirs.get((int) dir) : "", f));
        }
        return files;
    }

    private static List<String> v5Tables(Cursor c, DebugSections s, int offsetSize, String compDir)
            throws DwarfFormatException {
        List<String[]> dirEntries = entries(c, s, offsetSize);
        List<String> dirs = new ArrayList<>();
        for (String[] e : dirEntries) {
            dirs.add(e[0] == null ? "" : e[0]);
        }
        List<String[]> fileEntries = entries(c, s, offsetSize);
        List<String> files = new ArrayList<>();
        for (String[] e : fileEntries) {
            int dir = e[1] == null ? 0 : Integer.parseInt(e[1]);
            String name = e[0] == null ? "" : e[0];
            files.add(join(compDir, dir >= 0 && dir < dirs.size() ? dirs.get(dir) : "", name));
        }
        return files;
    }

    /** DWARF 5 directory or file entries: {path, directory index as text}. */
    private static List<String[]> entries(Cursor c, DebugSections s, int offsetSize) throws DwarfFormatException {
        int formatCount = c.u8();
        long[] contentTypes = new long[formatCount];
        int[] forms = new int[formatCount];
        for (int i = 0; i < formatCount; i++) {
            contentTypes[i] = c.uleb();
            forms[i] = c.ulebInt("form");
        }
        int count = c.ulebInt("entry count");
        checkCount(c, count);
        List<String[]> out = new ArrayList<>(Math.min(count, 1024));
        for (int n = 0; n < count; n++) {
            String[] e = new String[2];
            for (int i = 0; i < formatCount; i++) {
                int form = forms[i];
                if (contentTypes[i] == 1) { // DW_LNCT_path
                    e[0] = switch (form) {
                        case Forms.STRING -> c.cstring();
                        case Forms.LINE_STRP -> Cursor.stringAt(".debug_line_str", s.lineStr(),
                                c.unsigned(offsetSize));
                        case Forms.STRP -> Cursor.stringAt(".debug_str", s.str(), c.unsigned(offsetSize));
                        default -> throw c.error("unsupported path form 0x" + Integer.toHexString(form));
                    };
                } else if (contentTypes[i] == 2) { // DW_LNCT_directory_index
                    e[1] = Long.toString(switch (form) {
                        case Forms.DATA1 -> c.u8();
                        case Forms.DATA2 -> c.u16();
                        case Forms.UDATA -> c.ulebInt("directory index");
                        default -> throw c.error("unsupported directory index form 0x" + Integer.toHexString(form));
                    });
                } else {
                    Forms.skipLineForm(c, form, offsetSize);
                }
            }
            out.add(e);
        }
        return out;
    }

    private static void checkCount(Cursor c, int count) throws DwarfFormatException {
        if (count > MAX_TABLE_ENTRIES) {
            throw c.error("more than " + MAX_TABLE_ENTRIES + " file or directory entries");
        }
    }

    /** {@code dir/name} as binutils forms it: an absolute name stands alone, a relative dir goes under compDir. */
    static String join(String compDir, String dir, String name) {
        if (name.startsWith("/")) {
            return name;
        }
        String d = dir == null ? "" : dir;
        if (!d.startsWith("/") && compDir != null && !compDir.isEmpty() && !d.equals(compDir)) {
            d = d.isEmpty() ? compDir : compDir + "/" + d;
        }
        return d.isEmpty() ? name : d + "/" + name;
    }

    private static void run(Cursor c, LineTable.Builder rows, int[] fileIds, int addressSize,
                            int minInstLength, int lineBase, int lineRange, int opcodeBase, int[] argCounts)
            throws DwarfFormatException {
        long address = 0;
        int file = 1;
        long line = 1;
        long column = 0;
        boolean have = false;
        long prevAddress = 0;
        int prevFile = 0;
        long prevLine = 0;
        long prevColumn = 0;
        while (!c.atEnd()) {
            int op = c.u8();
            boolean emit = false;
            boolean endSequence = false;
            if (op >= opcodeBase) {
                int adjusted = op - opcodeBase;
                address += (long) minInstLength * (adjusted / lineRange);
                line += lineBase + adjusted % lineRange;
                emit = true;
            } else if (op == 0) {
                long len = c.uleb();
                if (len <= 0 || len > c.end() - c.position()) {
                    throw c.error("extended opcode length " + len);
                }
                int next = c.position() + (int) len;
                int sub = c.u8();
                switch (sub) {
                    case 1 -> endSequence = true;
                    case 2 -> address = c.unsigned(len - 1 == 8 ? 8 : len - 1 == 4 ? 4 : addressSize);
                    default -> { } // define_file (unused by current compilers), set_discriminator, vendor
                }
                c.seek(next);
            } else {
                switch (op) {
                    case 1 -> emit = true;
                    case 2 -> address += c.uleb() * minInstLength;
                    case 3 -> line += c.sleb();
                    case 4 -> file = c.ulebInt("file index");
                    case 5 -> column = c.uleb();
                    case 8 -> address += (long) minInstLength * ((255 - opcodeBase) / lineRange);
                    case 9 -> address += c.u16();
                    case 6, 7, 10, 11 -> { } // is_stmt, basic_block, prologue_end, epilogue_begin
                    default -> {
                        for (int i = 0; i < argCounts[op]; i++) {
                            c.uleb();
                        }
                    }
                }
            }
            if (emit || endSequence) {
                if (have) {
                    rows.add(prevAddress, address, fileIds.length == 0 ? rows.fileId("") : fileIds[prevFile],
                            clamp(prevLine), clamp(prevColumn));
                }
                if (endSequence) {
                    have = false;
                    address = 0;
                    file = 1;
                    line = 1;
                    column = 0;
                } else {
                    have = true;
                    prevAddress = address;
                    prevFile = file >= 0 && file < fileIds.length ? file : 0;
                    prevLine = line;
                    prevColumn = column;
                }
            }
        }
    }

    private static int clamp(long v) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, v));
    }
}
