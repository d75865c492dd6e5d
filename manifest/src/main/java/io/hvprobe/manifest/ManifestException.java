package io.hvprobe.manifest;

/** A manifest that cannot be used: the message names the file, the entry and what is wrong, on one line. */
public final class ManifestException extends Exception {
    /** An error with a one-line message. */
    public ManifestException(String message) {
        super(message);
    }

    /** An error with a one-line message and its cause. */
    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
