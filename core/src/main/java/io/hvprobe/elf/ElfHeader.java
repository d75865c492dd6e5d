package io.hvprobe.elf;

import io.hvprobe.arch.Arch;

/**
 * The ELF64 file header, with the extended-numbering escapes already resolved.
 *
 * @param type                  object type
 * @param arch                  the machine ({@code EM_X86_64} or {@code EM_AARCH64})
 * @param entry                 {@code e_entry}
 * @param flags                 {@code e_flags}
 * @param sectionNameTableIndex index of the section-name string table (after {@code SHN_XINDEX}), 0 if none
 */
public record ElfHeader(ElfType type, Arch arch, long entry, long flags, int sectionNameTableIndex) {
}
