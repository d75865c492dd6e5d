package io.hvprobe.loader;

/** How a relocation uses its symbol, which decides the kind of stub an undefined symbol gets. */
enum Reference {
    /** Type is NONE: nothing to do. */
    NONE,
    /** A direct call or jump to the symbol. */
    CALL,
    /** The symbol's address is taken as data. */
    DATA,
    /** A call through a GOT slot ({@code call *sym@GOTPCREL(%rip)}). */
    GOT_CALL,
    /** A load of the symbol's address from a GOT slot. */
    GOT_DATA,
    /** The loader does not implement this type. */
    UNSUPPORTED;

    boolean needsGot() {
        return this == GOT_CALL || this == GOT_DATA;
    }

    boolean isCall() {
        return this == CALL || this == GOT_CALL;
    }
}
