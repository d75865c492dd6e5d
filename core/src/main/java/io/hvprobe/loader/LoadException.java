package io.hvprobe.loader;

/**
 * The loader could not turn its input into a {@link GuestImage}: the ELF is malformed, a relocation is
 * unsupported or overflows, or the image would exceed its size cap. The message is one line starting with the
 * file name.
 */
public final class LoadException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * A problem in {@code fileName}.
     *
     * @param fileName the file's name
     * @param problem  what is wrong, one line; the message becomes {@code fileName: problem}
     */
    public LoadException(String fileName, String problem) {
        super(fileName + ": " + problem);
    }

    /**
     * Wraps a lower-level error whose message already names the file.
     *
     * @param message the message, naming the file
     * @param cause   the lower-level error
     */
    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
