package io.hvprobe.unicorn;

/** The Unicorn shared library could not be loaded; the message says how to install it. */
public final class UnicornUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnicornUnavailableException(String message) {
        super(message);
    }
}
