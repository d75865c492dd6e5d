package io.hvprobe.elf;

/**
 * An ELF file that cannot be read: truncated, corrupt, or of a class, byte order or machine hvprobe does not
 * load. The message is one line that starts with the file name and says what is wrong.
 */
public final class ElfFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final String problem;

    /** A problem in {@code fileName}; {@code problem} says what is wrong, without the file name. */
    public ElfFormatException(String fileName, String problem) {
        super(fileName + ": " + problem);
        this.fileName = fileName;
        this.problem = problem;
    }

    /** The name of the file as the caller gave it. */
    public String fileName() {
        return fileName;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
