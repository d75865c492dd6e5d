package io.hvprobe.cli;

import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfFormatException;
import io.hvprobe.elf.ElfRelocation;
import io.hvprobe.elf.ElfRelocationSection;
import io.hvprobe.elf.ElfSection;
import io.hvprobe.elf.ElfSymbol;
import io.hvprobe.elf.ElfSymbolTable;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.LoadException;
import io.hvprobe.loader.ObjectBytes;
import io.hvprobe.loader.ImageKind;
import io.hvprobe.loader.LoadedSection;
import io.hvprobe.elf.RelocationTypes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The relocations of a relocatable object by the guest address of the bytes each one patched, as objdump
 * prints them ({@code R_X86_64_32 .rodata+0x20}), so {@code disasm} can say which operand a relocation produced
 * (an absolute {@code mov edi, 0x10001020} is otherwise just a number). Executables and blobs have none.
 */
final class RelocationNotes {
    private final NavigableMap<Long, List<String>> byAddress;

    private RelocationNotes(NavigableMap<Long, List<String>> byAddress) {
        this.byAddress = byAddress;
    }

    static RelocationNotes of(Path file, GuestImage image) {
        NavigableMap<Long, List<String>> map = new TreeMap<>();
        if (image.kind() != ImageKind.RELOCATABLE) {
            return new RelocationNotes(map);
        }
        ElfFile elf;
        try {
            elf = ElfFile.parse(file.toString(), ObjectBytes.read(file, file.toString()));
        } catch (LoadException | ElfFormatException e) {
            // The loader read and parsed this very file a moment ago; without relocations the listing still stands.
            return new RelocationNotes(map);
        }
        for (ElfRelocationSection rs : elf.relocationSections()) {
            if (rs.targetSection() <= 0 || rs.targetSection() >= elf.sections().size()) {
                continue;
            }
            LoadedSection target = unique(image, elf.sections().get(rs.targetSection()).name());
            ElfSymbolTable symbols = elf.symbolTableAt(rs.symbolTable()).orElse(null);
            if (target == null || symbols == null) {
                continue;
            }
            for (ElfRelocation r : rs.relocations()) {
                if (r.offset() < 0 || r.offset() >= target.size()) {
                    continue;
                }
                String text = RelocationTypes.name(image.arch(), r.type()) + " " + symbolName(elf, symbols, r)
                        + addend(r.addend());
                map.computeIfAbsent(target.address() + r.offset(), a -> new ArrayList<>()).add(text);
            }
        }
        return new RelocationNotes(map);
    }

    /** The relocations that patched bytes in {@code [start, end)}, in address order. */
    List<String> within(long start, long end) {
        List<String> out = new ArrayList<>();
        byAddress.subMap(start, true, end, false).values().forEach(out::addAll);
        return out;
    }

    /** The loaded section named {@code name}, or null when there is none or several (ambiguous). */
    private static LoadedSection unique(GuestImage image, String name) {
        List<LoadedSection> found = image.sections().stream().filter(s -> s.name().equals(name)).toList();
        return found.size() == 1 ? found.getFirst() : null;
    }

    private static String symbolName(ElfFile elf, ElfSymbolTable symbols, ElfRelocation r) {
        if (r.symbolIndex() == 0 || r.symbolIndex() >= symbols.symbols().size()) {
            return "*ABS*";
        }
        ElfSymbol s = symbols.symbols().get(r.symbolIndex());
        if (s.name().isEmpty() && s.type() == ElfConstants.STT_SECTION && s.sectionIndex() > 0
                && s.sectionIndex() < elf.sections().size()) {
            ElfSection section = elf.sections().get(s.sectionIndex());
            return section.name();
        }
        return s.name().isEmpty() ? "symbol#" + s.index() : s.name();
    }

    private static String addend(long a) {
        if (a == 0) {
            return "";
        }
        return a > 0 ? "+0x" + Long.toHexString(a) : "-0x" + Long.toHexString(-a);
    }
}
