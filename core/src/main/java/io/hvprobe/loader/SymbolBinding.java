package io.hvprobe.loader;

/** A symbol's ELF binding. */
public enum SymbolBinding {
    LOCAL, GLOBAL, WEAK
}
