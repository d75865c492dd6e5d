package io.hvprobe.elf;

import java.util.List;

/**
 * A {@code SHT_SYMTAB} or {@code SHT_DYNSYM} section and its symbols; index 0 is the null symbol.
 *
 * @param sectionIndex the symbol table's section index
 * @param dynamic      whether this is {@code .dynsym}
 * @param symbols      all entries in file order
 */
public record ElfSymbolTable(int sectionIndex, boolean dynamic, List<ElfSymbol> symbols) {
    public ElfSymbolTable {
        symbols = List.copyOf(symbols);
    }
}
