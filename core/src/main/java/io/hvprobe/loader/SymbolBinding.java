package io.hvprobe.loader;

/** A symbol's ELF binding. */
public enum SymbolBinding {
    /** {@code STB_LOCAL}: visible inside the object only. */
    LOCAL,
    /** {@code STB_GLOBAL}: visible to other objects; one definition wins over weak and local ones. */
    GLOBAL,
    /** {@code STB_WEAK}: visible to other objects, yields to a global definition of the same name. */
    WEAK
}
