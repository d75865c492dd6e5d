package io.hvprobe.loader;

/** What the loader placed for an undefined symbol. */
public enum StubKind {
    /** A return instruction; the guest machine hooks it, records the call and sets the return value. */
    FUNCTION,
    /** Real code that works without hooks (retpoline thunks, {@code __fentry__}). */
    THUNK,
    /** A zero-filled (or caller-initialised) data cell. */
    DATA
}
