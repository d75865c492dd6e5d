package io.hvprobe.loader;

import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.ElfSymbol;

/** Maps ELF symbol attributes to the image's symbol model. */
final class SymbolMapping {
    private SymbolMapping() {
    }

    static SymbolType type(ElfSymbol s) {
        return switch (s.type()) {
            case ElfConstants.STT_FUNC, ElfConstants.STT_GNU_IFUNC -> SymbolType.FUNCTION;
            case ElfConstants.STT_OBJECT, ElfConstants.STT_TLS, ElfConstants.STT_COMMON -> SymbolType.OBJECT;
            default -> SymbolType.NOTYPE;
        };
    }

    static SymbolBinding binding(ElfSymbol s) {
        return switch (s.binding()) {
            case ElfConstants.STB_LOCAL -> SymbolBinding.LOCAL;
            case ElfConstants.STB_WEAK -> SymbolBinding.WEAK;
            default -> SymbolBinding.GLOBAL; // GLOBAL and GNU_UNIQUE
        };
    }

    /** Whether a defined symbol belongs in the image's symbol table (named, not a section or file marker). */
    static boolean isListed(ElfSymbol s) {
        return !s.name().isEmpty() && s.type() != ElfConstants.STT_SECTION && s.type() != ElfConstants.STT_FILE;
    }
}
