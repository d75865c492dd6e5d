package io.hvprobe.elf;

/**
 * One RELA entry.
 *
 * @param offset      {@code r_offset}: section offset ({@code ET_REL}) or virtual address (dynamic)
 * @param type        relocation type ({@code ELF64_R_TYPE})
 * @param symbolIndex symbol index in the linked symbol table, checked to be in range
 * @param addend      {@code r_addend}
 */
public record ElfRelocation(long offset, int type, int symbolIndex, long addend) {
}
