package io.hvprobe.loader;

/** What a symbol names. */
public enum SymbolType {
    /** {@code STT_FUNC} (and {@code STT_GNU_IFUNC}). */
    FUNCTION,
    /** {@code STT_OBJECT} and {@code STT_TLS}. */
    OBJECT,
    /** {@code STT_NOTYPE}: an assembler label. */
    NOTYPE
}
