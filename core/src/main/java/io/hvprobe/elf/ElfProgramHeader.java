package io.hvprobe.elf;

/**
 * One program header. For {@code PT_LOAD} entries the reader has checked that the file bytes lie inside the
 * file and that {@code fileSize <= memorySize}.
 *
 * @param index          program-header index
 * @param type           {@code p_type}
 * @param flags          {@code p_flags} ({@code PF_R}, {@code PF_W}, {@code PF_X})
 * @param offset         {@code p_offset}
 * @param virtualAddress {@code p_vaddr}
 * @param fileSize       {@code p_filesz}
 * @param memorySize     {@code p_memsz}
 * @param alignment      {@code p_align}
 */
public record ElfProgramHeader(int index, int type, int flags, long offset, long virtualAddress, long fileSize,
                               long memorySize, long alignment) {

    /** Whether this is a loadable segment. */
    public boolean isLoad() {
        return type == ElfConstants.PT_LOAD;
    }
}
