package io.hvprobe.elf;

import static io.hvprobe.elf.ByteView.hex;
import static io.hvprobe.elf.ElfConstants.*;

import io.hvprobe.arch.Arch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses an ELF64 LE file into an {@link ElfFile}. Every count is checked against the file length before
 * anything proportional to it is allocated, and every index is checked before it is followed.
 */
final class ElfReader {
    /** Longest symbol or section name accepted; bounds the work a corrupt string table can cause. */
    static final int MAX_NAME_LENGTH = 16 * 1024;
    /**
     * Slack in the budget for decoded names: a file may decode twice its own size plus this many bytes of names.
     * Real objects decode each string-table byte about once (tail-shared names a little more); without a budget, a
     * hostile symbol table whose entries point into the middle of one long name would make the reader materialise
     * up to {@value #MAX_NAME_LENGTH} bytes per 24-byte symbol.
     */
    static final long NAME_BUDGET_SLACK = 16L << 20;

    private final ByteView in;
    private final Map<Long, String> stringCache = new HashMap<>();
    /**
     * Per string table (by section index): ranges already scanned, as start offset to the offset of the NUL that
     * ends them. Lets every lookup find its terminator without rescanning bytes, so names cost linear time
     * however the symbol entries overlap.
     */
    private final Map<Integer, TreeMap<Long, Long>> scannedStrings = new HashMap<>();
    private long decodedNameBytes;

    ElfReader(ByteView in) {
        this.in = in;
    }

    ElfFile read(byte[] bytes) throws ElfFormatException {
        checkIdent();
        ElfType type = type(in.u16(16));
        Arch arch = machine(in.u16(18));
        long entry = in.u64(24);
        long phoff = in.u64(32);
        long shoff = in.u64(40);
        long flags = in.u32(48);
        int phentsize = in.u16(54);
        int phnum = in.u16(56);
        int shentsize = in.u16(58);
        int shnum = in.u16(60);
        int shstrndx = in.u16(62);

        List<RawSection> raw = readSectionHeaders(shoff, shentsize, shnum);
        if (shstrndx == SHN_XINDEX) {
            if (raw.isEmpty()) {
                throw in.error("e_shstrndx is SHN_XINDEX but the file has no section headers");
            }
            shstrndx = raw.getFirst().link();
        }
        List<ElfSection> sections = nameSections(raw, shstrndx);
        if (phnum == PN_XNUM) {
            if (raw.isEmpty()) {
                throw in.error("e_phnum is PN_XNUM but the file has no section headers");
            }
            phnum = raw.getFirst().info();
        }
        List<ElfProgramHeader> segments = readProgramHeaders(phoff, phentsize, phnum);
        List<ElfSymbolTable> symbolTables = readSymbolTables(sections);
        List<ElfRelocationSection> relocations = readRelocationSections(sections, symbolTables);
        ElfHeader header = new ElfHeader(type, arch, entry, flags, sections.isEmpty() ? 0 : shstrndx);
        return new ElfFile(in.fileName(), bytes, header, sections, segments, symbolTables, relocations);
    }

    private void checkIdent() throws ElfFormatException {
        if (in.length() < 4 || in.u8(0) != 0x7f || in.u8(1) != 'E' || in.u8(2) != 'L' || in.u8(3) != 'F') {
            throw in.error("not an ELF file (no \\x7fELF magic)");
        }
        if (in.length() < EHDR_SIZE) {
            throw in.error("file is " + in.length() + " bytes, shorter than an ELF64 header (64)");
        }
        int elfClass = in.u8(4);
        if (elfClass == 1) {
            throw in.error("32-bit ELF (ELFCLASS32) is not supported; need ELF64");
        }
        if (elfClass != 2) {
            throw in.error("invalid ELF class " + elfClass + " (expected 2, ELFCLASS64)");
        }
        int data = in.u8(5);
        if (data == 2) {
            throw in.error("big-endian ELF (ELFDATA2MSB) is not supported; need little-endian");
        }
        if (data != 1) {
            throw in.error("invalid ELF data encoding " + data + " (expected 1, ELFDATA2LSB)");
        }
        if (in.u8(6) != 1) {
            throw in.error("invalid ELF ident version " + in.u8(6) + " (expected 1)");
        }
    }

    private ElfType type(int eType) throws ElfFormatException {
        return switch (eType) {
            case ET_REL -> ElfType.RELOCATABLE;
            case ET_EXEC -> ElfType.EXECUTABLE;
            case ET_DYN -> ElfType.SHARED_OBJECT;
            case 4 -> throw in.error("core dumps (ET_CORE) are not loadable");
            default -> throw in.error("unsupported ELF type " + eType + " (need ET_REL, ET_EXEC or ET_DYN)");
        };
    }

    private Arch machine(int eMachine) throws ElfFormatException {
        return switch (eMachine) {
            case EM_X86_64 -> Arch.X86_64;
            case EM_AARCH64 -> Arch.ARM64;
            default -> throw in.error("machine " + eMachine + machineName(eMachine)
                    + " is not supported; need EM_X86_64 (62) or EM_AARCH64 (183)");
        };
    }

    private static String machineName(int eMachine) {
        return switch (eMachine) {
            case 3 -> " (EM_386)";
            case 8 -> " (EM_MIPS)";
            case 20 -> " (EM_PPC)";
            case 21 -> " (EM_PPC64)";
            case 22 -> " (EM_S390)";
            case 40 -> " (EM_ARM)";
            case 243 -> " (EM_RISCV)";
            default -> "";
        };
    }

    private record RawSection(int index, long nameOffset, int type, long flags, long address, long offset,
                              long size, int link, int info, long alignment, long entrySize) {
    }

    private List<RawSection> readSectionHeaders(long shoff, int shentsize, int shnum) throws ElfFormatException {
        if (shoff == 0) {
            if (shnum != 0) {
                throw in.error("e_shnum is " + shnum + " but e_shoff is 0");
            }
            return List.of();
        }
        if (shentsize != SHDR_SIZE) {
            throw in.error("e_shentsize is " + shentsize + ", expected 64");
        }
        in.checkRange("section header table", shoff, SHDR_SIZE);
        RawSection first = rawSection(shoff, 0);
        long count = shnum;
        if (shnum == 0) {
            count = first.size(); // extended numbering: the real count lives in section 0
        }
        long room = (in.length() - shoff) / SHDR_SIZE;
        if (count < 0 || count > room) {
            throw in.error("section header table: " + Long.toUnsignedString(count) + " entries at offset "
                    + hex(shoff) + " run past end of file (" + hex(in.length()) + ")");
        }
        List<RawSection> out = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            RawSection s = rawSection(shoff + (long) i * SHDR_SIZE, i);
            if (s.type() != SHT_NOBITS && s.type() != SHT_NULL) {
                in.checkRange("section " + i, s.offset(), s.size());
            }
            out.add(s);
        }
        return out;
    }

    private RawSection rawSection(long at, int index) throws ElfFormatException {
        return new RawSection(index, in.u32(at), (int) in.u32(at + 4), in.u64(at + 8), in.u64(at + 16),
                in.u64(at + 24), in.u64(at + 32), (int) in.u32(at + 40), (int) in.u32(at + 44), in.u64(at + 48),
                in.u64(at + 56));
    }

    private List<ElfSection> nameSections(List<RawSection> raw, int shstrndx) throws ElfFormatException {
        RawSection names = null;
        if (!raw.isEmpty() && shstrndx != SHN_UNDEF) {
            if (Integer.toUnsignedLong(shstrndx) >= raw.size()) {
                throw in.error("section name string table index " + Integer.toUnsignedString(shstrndx)
                        + " out of range (" + raw.size() + " sections)");
            }
            names = raw.get(shstrndx);
            if (names.type() != SHT_STRTAB) {
                throw in.error("section name string table (section " + shstrndx + ") has type "
                        + names.type() + ", not SHT_STRTAB");
            }
        }
        List<ElfSection> out = new ArrayList<>(raw.size());
        for (RawSection s : raw) {
            String name = names == null ? ""
                    : string(names.index(), names.offset(), names.size(), s.nameOffset(),
                    "section " + s.index() + " name");
            out.add(new ElfSection(s.index(), name, s.type(), s.flags(), s.address(), s.offset(), s.size(),
                    s.link(), s.info(), s.alignment(), s.entrySize()));
        }
        return out;
    }

    private String string(int tableIndex, long tableOffset, long tableSize, long offset, String what)
            throws ElfFormatException {
        if (offset < 0 || offset >= tableSize) {
            throw in.error(what + ": string offset " + hex(offset) + " outside string table section "
                    + tableIndex + " (size " + hex(tableSize) + ")");
        }
        long key = ((long) tableIndex << 40) ^ offset;
        String cached = stringCache.get(key);
        if (cached != null) {
            return cached;
        }
        long end = terminator(tableIndex, tableOffset, tableSize, offset, what);
        long length = end - offset;
        if (length > MAX_NAME_LENGTH) {
            throw in.error(what + ": string at offset " + hex(offset) + " in section " + tableIndex
                    + " is longer than " + MAX_NAME_LENGTH + " bytes");
        }
        decodedNameBytes += length;
        long budget = 2L * in.length() + NAME_BUDGET_SLACK;
        if (decodedNameBytes > budget) {
            throw in.error(what + ": names add up to more than " + budget + " bytes, twice the file size plus "
                    + (NAME_BUDGET_SLACK >> 20) + " MiB (string table entries overlap implausibly)");
        }
        String s = new String(in.copy(tableOffset + offset, length), StandardCharsets.UTF_8);
        stringCache.put(key, s);
        return s;
    }

    /**
     * The table offset of the NUL ending the string at {@code offset}. Scans each byte of a table at most once:
     * a scan stops at the start of a range scanned before and takes that range's terminator.
     */
    private long terminator(int tableIndex, long tableOffset, long tableSize, long offset, String what)
            throws ElfFormatException {
        TreeMap<Long, Long> scanned = scannedStrings.computeIfAbsent(tableIndex, k -> new TreeMap<>());
        Map.Entry<Long, Long> covering = scanned.floorEntry(offset);
        if (covering != null && covering.getValue() >= offset) {
            return covering.getValue();
        }
        Map.Entry<Long, Long> next = scanned.higherEntry(offset);
        long limit = Math.min(tableSize, offset + MAX_NAME_LENGTH + 1L);
        for (long i = offset; i < limit; i++) {
            if (next != null && i == next.getKey()) {
                scanned.remove(next.getKey());
                scanned.put(offset, next.getValue());
                return next.getValue();
            }
            if (in.u8(tableOffset + i) == 0) {
                scanned.put(offset, i);
                return i;
            }
        }
        if (limit < tableSize) {
            throw in.error(what + ": string at offset " + hex(offset) + " in section " + tableIndex
                    + " is longer than " + MAX_NAME_LENGTH + " bytes");
        }
        throw in.error(what + ": string at offset " + hex(offset) + " in section " + tableIndex
                + " is not NUL-terminated");
    }

    private List<ElfProgramHeader> readProgramHeaders(long phoff, int phentsize, int phnum)
            throws ElfFormatException {
        if (phoff == 0 || phnum == 0) {
            return List.of();
        }
        if (phentsize != PHDR_SIZE) {
            throw in.error("e_phentsize is " + phentsize + ", expected 56");
        }
        long room = phoff < 0 || phoff > in.length() ? 0 : (in.length() - phoff) / PHDR_SIZE;
        if (Integer.toUnsignedLong(phnum) > room) {
            throw in.error("program header table: " + Integer.toUnsignedString(phnum) + " entries at offset "
                    + hex(phoff) + " run past end of file (" + hex(in.length()) + ")");
        }
        List<ElfProgramHeader> out = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            long at = phoff + (long) i * PHDR_SIZE;
            ElfProgramHeader p = new ElfProgramHeader(i, (int) in.u32(at), (int) in.u32(at + 4), in.u64(at + 8),
                    in.u64(at + 16), in.u64(at + 32), in.u64(at + 40), in.u64(at + 48));
            if (p.isLoad()) {
                in.checkRange("program header " + i, p.offset(), p.fileSize());
                if (Long.compareUnsigned(p.fileSize(), p.memorySize()) > 0) {
                    throw in.error("program header " + i + ": file size " + hex(p.fileSize())
                            + " larger than memory size " + hex(p.memorySize()));
                }
            }
            out.add(p);
        }
        return out;
    }

    private List<ElfSymbolTable> readSymbolTables(List<ElfSection> sections) throws ElfFormatException {
        // Indexed once: looking the extension table up per symbol table would be quadratic in the section count.
        Map<Long, ElfSection> extendedIndexTables = new HashMap<>();
        for (ElfSection x : sections) {
            if (x.type() == SHT_SYMTAB_SHNDX) {
                extendedIndexTables.put(Integer.toUnsignedLong(x.link()), x);
            }
        }
        List<ElfSymbolTable> out = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.type() == SHT_SYMTAB || s.type() == SHT_DYNSYM) {
                out.add(readSymbolTable(s, sections, extendedIndexTables.get((long) s.index())));
            }
        }
        return out;
    }

    private String describe(ElfSection s) {
        return "section " + s.index() + (s.name().isEmpty() ? "" : " (" + s.name() + ")");
    }

    private ElfSection linkedStringTable(ElfSection s, List<ElfSection> sections) throws ElfFormatException {
        long link = Integer.toUnsignedLong(s.link());
        if (link == 0 || link >= sections.size()) {
            throw in.error(describe(s) + ": string table index " + link + " out of range (" + sections.size()
                    + " sections)");
        }
        ElfSection strings = sections.get((int) link);
        if (strings.type() != SHT_STRTAB) {
            throw in.error(describe(s) + ": linked section " + link + " is not a string table");
        }
        return strings;
    }

    private void checkEntries(ElfSection s, long entrySize) throws ElfFormatException {
        if (s.entrySize() != entrySize) {
            throw in.error(describe(s) + ": entry size " + hex(s.entrySize()) + ", expected " + entrySize);
        }
        if (Long.remainderUnsigned(s.size(), entrySize) != 0) {
            throw in.error(describe(s) + ": size " + hex(s.size()) + " is not a multiple of " + entrySize);
        }
    }

    private ElfSymbolTable readSymbolTable(ElfSection s, List<ElfSection> sections, ElfSection extended)
            throws ElfFormatException {
        checkEntries(s, SYM_SIZE);
        ElfSection strings = linkedStringTable(s, sections);
        int count = (int) (s.size() / SYM_SIZE); // size was checked against the file length
        List<ElfSymbol> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long at = s.offset() + (long) i * SYM_SIZE;
            long nameOffset = in.u32(at);
            int info = in.u8(at + 4);
            int other = in.u8(at + 5);
            int shndx = in.u16(at + 6);
            String name = nameOffset == 0 ? ""
                    : string(strings.index(), strings.offset(), strings.size(), nameOffset,
                    describe(s) + " symbol " + i);
            String who = describe(s) + " symbol " + i + (name.isEmpty() ? "" : " '" + name + "'");
            if (shndx == SHN_XINDEX) {
                if (extended == null) {
                    throw in.error(who + " uses SHN_XINDEX but there is no SHT_SYMTAB_SHNDX section");
                }
                if (!ByteView.fits((long) i * 4, 4, extended.size())) {
                    throw in.error(who + ": extended section index table " + describe(extended) + " too short");
                }
                long real = in.u32(extended.offset() + (long) i * 4);
                if (real >= sections.size()) {
                    throw in.error(who + ": extended section index " + real + " out of range (" + sections.size()
                            + " sections)");
                }
                shndx = (int) real;
            } else if (shndx < SHN_LORESERVE && shndx >= sections.size()) {
                throw in.error(who + ": section index " + shndx + " out of range (" + sections.size()
                        + " sections)");
            }
            symbols.add(new ElfSymbol(i, name, in.u64(at + 8), in.u64(at + 16), info & 0xf, info >>> 4,
                    other & 0x3, shndx));
        }
        return new ElfSymbolTable(s.index(), s.type() == SHT_DYNSYM, symbols);
    }

    private List<ElfRelocationSection> readRelocationSections(List<ElfSection> sections,
                                                              List<ElfSymbolTable> tables)
            throws ElfFormatException {
        Map<Long, ElfSymbolTable> tablesBySection = new HashMap<>();
        for (ElfSymbolTable t : tables) {
            tablesBySection.put((long) t.sectionIndex(), t);
        }
        List<ElfRelocationSection> out = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.type() != SHT_RELA) {
                continue;
            }
            checkEntries(s, RELA_SIZE);
            long link = Integer.toUnsignedLong(s.link());
            long target = Integer.toUnsignedLong(s.info());
            if (target >= sections.size()) {
                throw in.error(describe(s) + ": target section index " + target + " out of range ("
                        + sections.size() + " sections)");
            }
            int symbolCount = 0;
            if (link != 0) {
                ElfSymbolTable table = tablesBySection.get(link);
                if (table == null) {
                    throw in.error(describe(s) + ": linked section " + link + " is not a symbol table");
                }
                symbolCount = table.symbols().size();
            }
            int count = (int) (s.size() / RELA_SIZE);
            List<ElfRelocation> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long at = s.offset() + (long) i * RELA_SIZE;
                long rInfo = in.u64(at + 8);
                long symbol = rInfo >>> 32;
                if (symbol != 0 && symbol >= symbolCount) {
                    throw in.error(describe(s) + " entry " + i + ": symbol index " + symbol + " out of range ("
                            + symbolCount + " symbols)");
                }
                entries.add(new ElfRelocation(in.u64(at), (int) rInfo, (int) symbol, in.u64(at + 16)));
            }
            out.add(new ElfRelocationSection(s, (int) target, (int) link, entries));
        }
        return out;
    }
}
