package io.hvprobe.loader;

/** A relocation that cannot be applied; the loader adds type, section, offset and symbol to the message. */
final class RelocationError extends Exception {
    private static final long serialVersionUID = 1L;

    RelocationError(String problem) {
        super(problem, null, false, false);
    }
}
