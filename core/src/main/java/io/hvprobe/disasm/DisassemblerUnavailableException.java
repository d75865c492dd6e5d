package io.hvprobe.disasm;

/** Capstone cannot be used here: the library is missing, of the wrong version, or refused the architecture. */
public final class DisassemblerUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    DisassemblerUnavailableException(String message) {
        super(message);
    }

    DisassemblerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
