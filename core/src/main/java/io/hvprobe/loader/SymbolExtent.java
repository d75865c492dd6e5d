package io.hvprobe.loader;

import static io.hvprobe.loader.ImageBuilder.hex;

import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfSection;
import io.hvprobe.elf.ElfSymbol;

/**
 * Checks that a defined symbol lies inside the section it names. Why: everything downstream (the call-graph
 * sweep of {@code TrapReach}, symbolisation, a run starting at the symbol) trusts {@code st_value} and
 * {@code st_size}; a hostile {@code st_size} of 0x7fffffff in a 1.5 KiB file would otherwise become a 2 GiB read,
 * and a value past the section a run that faults on its first fetch.
 */
final class SymbolExtent {
    private SymbolExtent() {
    }

    /**
     * Fails unless {@code [offset, offset + size)} of {@code s} lies inside {@code section}, where {@code offset}
     * is the symbol's distance from the section start.
     *
     * @param linked whether the file is linked: there {@code STT_NOTYPE} labels of size 0 are often linker-script
     *               symbols ({@code _end}, {@code __bss_start}) given a neighbouring section, and {@code STT_TLS}
     *               values are offsets in the TLS block, so neither is checked
     */
    static void check(ElfSymbol s, ElfSection section, long offset, boolean linked, ImageBuilder image)
            throws LoadException {
        if (linked && (s.type() == ElfConstants.STT_TLS || (s.type() == ElfConstants.STT_NOTYPE && s.size() == 0))) {
            return;
        }
        boolean inside = Long.compareUnsigned(offset, section.size()) <= 0
                && Long.compareUnsigned(s.size(), section.size() - offset) <= 0;
        if (!inside) {
            throw image.error("symbol '" + s.name() + "' (#" + s.index() + ") at " + describe(section) + "+"
                    + hex(offset) + " with size " + hex(s.size()) + " lies outside its section (size "
                    + hex(section.size()) + ")");
        }
    }

    private static String describe(ElfSection s) {
        return s.name().isEmpty() ? "section " + s.index() : s.name();
    }
}
