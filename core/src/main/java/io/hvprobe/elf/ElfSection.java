package io.hvprobe.elf;

/**
 * One section header. Offsets and sizes are unsigned 64-bit values; for every section that occupies file
 * space ({@code type != SHT_NOBITS}) the reader has checked that {@code [offset, offset + size)} is inside the file.
 *
 * @param index     section index
 * @param name      name from the section-name string table ("" when the file has none)
 * @param type      {@code sh_type}
 * @param flags     {@code sh_flags}
 * @param address   {@code sh_addr}
 * @param offset    {@code sh_offset}
 * @param size      {@code sh_size}
 * @param link      {@code sh_link}
 * @param info      {@code sh_info}
 * @param alignment {@code sh_addralign} (0 and 1 mean none)
 * @param entrySize {@code sh_entsize}
 */
public record ElfSection(int index, String name, int type, long flags, long address, long offset, long size,
                         int link, int info, long alignment, long entrySize) {

    /** Whether the section occupies memory at run time ({@code SHF_ALLOC}). */
    public boolean isAllocated() {
        return (flags & ElfConstants.SHF_ALLOC) != 0;
    }

    /** Whether the section is writable at run time ({@code SHF_WRITE}). */
    public boolean isWritable() {
        return (flags & ElfConstants.SHF_WRITE) != 0;
    }

    /** Whether the section holds instructions ({@code SHF_EXECINSTR}). */
    public boolean isExecutable() {
        return (flags & ElfConstants.SHF_EXECINSTR) != 0;
    }

    /** Whether the section has no bytes in the file ({@code SHT_NOBITS}, e.g. {@code .bss}). */
    public boolean isNoBits() {
        return type == ElfConstants.SHT_NOBITS;
    }
}
