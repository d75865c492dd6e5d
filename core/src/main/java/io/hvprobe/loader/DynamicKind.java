package io.hvprobe.loader;

/** The dynamic relocation types the loader applies to linked files. */
enum DynamicKind {
    NONE, RELATIVE, GLOB_DAT, JUMP_SLOT, ABSOLUTE64,
    /** The TLS module id of the symbol's object (x86_64 DTPMOD64, AArch64 TLS_DTPMOD64). */
    TLS_MODULE,
    /** The symbol's offset inside its module's TLS block (DTPOFF64, TLS_DTPREL64). */
    TLS_BLOCK_OFFSET,
    /** The symbol's offset from the thread pointer (TPOFF64, TLS_TPREL64). */
    TLS_THREAD_OFFSET,
    /** A two-word TLS descriptor: resolver address, then its argument (TLSDESC). */
    TLS_DESCRIPTOR,
    /** The executable's copy of a shared object's variable (COPY). */
    COPY,
    /** The slot gets the address an ifunc resolver returns (IRELATIVE). */
    IRELATIVE,
    UNSUPPORTED
}
