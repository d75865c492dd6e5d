package io.hvprobe.elf;

/** The ELF object types hvprobe loads ({@code e_type}). */
public enum ElfType {
    /** {@code ET_REL}: a relocatable object ({@code .o}, {@code .ko}). */
    RELOCATABLE,
    /** {@code ET_EXEC}: an executable linked at fixed addresses. */
    EXECUTABLE,
    /** {@code ET_DYN}: a shared object or position-independent executable. */
    SHARED_OBJECT
}
