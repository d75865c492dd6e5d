package io.hvprobe.loader;

/** Where a guest image came from. */
public enum ImageKind {
    /** A relocatable object ({@code .o}, {@code .ko}) laid out and relocated by the loader. */
    RELOCATABLE,
    /** An {@code ET_EXEC} executable at its link addresses. */
    EXECUTABLE,
    /** An {@code ET_DYN} shared object or PIE, moved to the base address. */
    SHARED_OBJECT,
    /** Raw bytes at a caller-given address. */
    RAW
}
