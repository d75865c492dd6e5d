package io.hvprobe.elf;

import java.util.List;

/**
 * A {@code SHT_RELA} section.
 *
 * @param section          the relocation section itself
 * @param targetSection    {@code sh_info}: the section the entries patch (0 when none, as in {@code .rela.dyn})
 * @param symbolTable      {@code sh_link}: section index of the symbol table (0 when none)
 * @param relocations      entries in file order
 */
public record ElfRelocationSection(ElfSection section, int targetSection, int symbolTable,
                                   List<ElfRelocation> relocations) {
    public ElfRelocationSection {
        relocations = List.copyOf(relocations);
    }
}
