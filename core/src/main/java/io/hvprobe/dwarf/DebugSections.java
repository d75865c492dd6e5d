package io.hvprobe.dwarf;

import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfRelocation;
import io.hvprobe.elf.ElfRelocationSection;
import io.hvprobe.elf.ElfSection;
import io.hvprobe.elf.ElfSymbol;
import io.hvprobe.elf.ElfSymbolTable;
import io.hvprobe.elf.ElfType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The DWARF sections of one ELF file as bytes ready to parse: decompressed ({@code SHF_COMPRESSED} zlib and the
 * older {@code .zdebug_*}) and, for {@code ET_REL} files, with their {@code .rela.debug_*} relocations applied
 * against a {@link SectionPlacement}. Absent sections are empty arrays.
 */
record DebugSections(byte[] info, byte[] abbrev, byte[] line, byte[] str, byte[] lineStr, byte[] ranges,
                     byte[] rnglists, byte[] addr, byte[] strOffsets) {
    /** Largest section (after decompression) that is read: bounds the memory a corrupt size can claim. */
    static final long MAX_SECTION_SIZE = 512L << 20;
    static final long SHF_COMPRESSED = 0x800;
    private static final int ELFCOMPRESS_ZLIB = 1;

    private static final List<String> NAMES = List.of(".debug_info", ".debug_abbrev", ".debug_line",
            ".debug_str", ".debug_line_str", ".debug_ranges", ".debug_rnglists", ".debug_addr",
            ".debug_str_offsets");

    /** Whether {@code elf} has a {@code .debug_info} (plain or {@code .zdebug_info}) with bytes in the file. */
    static boolean present(ElfFile elf) {
        return elf.sections().stream().anyMatch(s -> (s.name().equals(".debug_info")
                || s.name().equals(".zdebug_info")) && !s.isNoBits() && s.size() > 0);
    }

    static DebugSections read(ElfFile elf, SectionPlacement placement) throws DwarfFormatException {
        Map<String, byte[]> bytes = new HashMap<>();
        Map<String, ElfSection> byName = new HashMap<>();
        for (ElfSection s : elf.sections()) {
            String name = s.name().startsWith(".zdebug_") ? ".debug_" + s.name().substring(8) : s.name();
            if (NAMES.contains(name) && !s.isNoBits() && !byName.containsKey(name)) {
                byName.put(name, s);
                bytes.put(name, contents(elf, s));
            }
        }
        if (elf.header().type() == ElfType.RELOCATABLE) {
            relocate(elf, placement, byName, bytes);
        }
        byte[] none = new byte[0];
        return new DebugSections(bytes.getOrDefault(".debug_info", none), bytes.getOrDefault(".debug_abbrev", none),
                bytes.getOrDefault(".debug_line", none), bytes.getOrDefault(".debug_str", none),
                bytes.getOrDefault(".debug_line_str", none), bytes.getOrDefault(".debug_ranges", none),
                bytes.getOrDefault(".debug_rnglists", none), bytes.getOrDefault(".debug_addr", none),
                bytes.getOrDefault(".debug_str_offsets", none));
    }

    private static byte[] contents(ElfFile elf, ElfSection s) throws DwarfFormatException {
        if (Long.compareUnsigned(s.size(), MAX_SECTION_SIZE) > 0) {
            throw new DwarfFormatException(s.name() + ": " + s.size() + " bytes, more than the "
                    + MAX_SECTION_SIZE + "-byte limit");
        }
        byte[] raw = elf.contents(s);
        if ((s.flags() & SHF_COMPRESSED) != 0) {
            Cursor c = new Cursor(s.name(), raw);
            long type = c.u32();
            c.u32(); // ch_reserved
            long size = c.u64();
            c.u64(); // ch_addralign
            if (type != ELFCOMPRESS_ZLIB) {
                throw new DwarfFormatException(s.name() + ": compression type " + type + " is not zlib");
            }
            return inflate(s.name(), raw, c.position(), size);
        }
        if (s.name().startsWith(".zdebug_")) {
            if (raw.length < 12 || raw[0] != 'Z' || raw[1] != 'L' || raw[2] != 'I' || raw[3] != 'B') {
                return raw; // not actually compressed
            }
            long size = 0;
            for (int i = 4; i < 12; i++) {
                size = size << 8 | (raw[i] & 0xff);
            }
            return inflate(s.name(), raw, 12, size);
        }
        return raw;
    }

    private static byte[] inflate(String name, byte[] raw, int from, long size) throws DwarfFormatException {
        if (size < 0 || size > MAX_SECTION_SIZE) {
            throw new DwarfFormatException(name + ": uncompressed size " + Long.toUnsignedString(size)
                    + " exceeds the " + MAX_SECTION_SIZE + "-byte limit");
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(raw, from, raw.length - from);
            byte[] out = new byte[(int) size];
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != out.length) {
                throw new DwarfFormatException(name + ": compressed data gives " + n + " bytes, header says " + size);
            }
            return out;
        } catch (DataFormatException e) {
            throw new DwarfFormatException(name + ": corrupt zlib data (" + e.getMessage() + ")");
        } finally {
            inflater.end();
        }
    }

    private static void relocate(ElfFile elf, SectionPlacement placement, Map<String, ElfSection> byName,
                                 Map<String, byte[]> bytes) throws DwarfFormatException {
        Relocations kinds = new Relocations(elf.header().arch());
        for (ElfRelocationSection rs : elf.relocationSections()) {
            ElfSection target = elf.sections().get(rs.targetSection());
            String name = target.name().startsWith(".zdebug_") ? ".debug_" + target.name().substring(8)
                    : target.name();
            if (rs.targetSection() == 0 || byName.get(name) != target) {
                continue;
            }
            byte[] data = bytes.get(name);
            List<ElfSymbol> symbols = rs.symbolTable() == 0 ? List.of()
                    : elf.symbolTableAt(rs.symbolTable()).map(ElfSymbolTable::symbols).orElse(List.of());
            for (ElfRelocation r : rs.relocations()) {
                int width = kinds.width(r.type());
                if (width == 0) {
                    continue; // NONE, or a kind debug readers do not need (TLS offsets in location lists)
                }
                if (r.offset() < 0 || r.offset() > data.length - width) {
                    throw new DwarfFormatException(rs.section().name() + ": relocation at 0x"
                            + Long.toHexString(r.offset()) + " outside " + name + " (0x"
                            + Integer.toHexString(data.length) + ")");
                }
                long value = symbolValue(elf, placement, symbols, r.symbolIndex()) + r.addend();
                if (kinds.pcRelative(r.type())) {
                    value -= r.offset();
                }
                for (int i = 0; i < width; i++) {
                    data[(int) r.offset() + i] = (byte) (value >>> (8 * i));
                }
            }
        }
    }

    private static long symbolValue(ElfFile elf, SectionPlacement placement, List<ElfSymbol> symbols, int index) {
        if (index == 0 || index >= symbols.size()) {
            return 0;
        }
        ElfSymbol s = symbols.get(index);
        if (s.isAbsolute()) {
            return s.value();
        }
        if (s.isUndefined() || s.sectionIndex() >= ElfConstants.SHN_LORESERVE
                || s.sectionIndex() >= elf.sections().size()) {
            return 0;
        }
        ElfSection section = elf.sections().get(s.sectionIndex());
        long base = section.isAllocated() ? placement.addressOf(section.index()).orElse(0) : 0;
        return base + s.value();
    }

    /** Which relocation types debug sections carry, and how wide each is. */
    private record Relocations(io.hvprobe.arch.Arch arch) {
        int width(int type) {
            return switch (arch) {
                case X86_64 -> switch (type) {
                    case 1, 24 -> 8;      // R_X86_64_64, R_X86_64_PC64
                    case 2, 10, 11 -> 4;  // R_X86_64_PC32, R_X86_64_32, R_X86_64_32S
                    default -> 0;
                };
                case ARM64 -> switch (type) {
                    case 257, 260 -> 8;   // R_AARCH64_ABS64, R_AARCH64_PREL64
                    case 258, 261 -> 4;   // R_AARCH64_ABS32, R_AARCH64_PREL32
                    case 259, 262 -> 2;   // R_AARCH64_ABS16, R_AARCH64_PREL16
                    default -> 0;
                };
            };
        }

        boolean pcRelative(int type) {
            return switch (arch) {
                case X86_64 -> type == 2 || type == 24;
                case ARM64 -> type >= 260 && type <= 262;
            };
        }
    }
}
