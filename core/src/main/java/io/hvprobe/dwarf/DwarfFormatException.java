package io.hvprobe.dwarf;

/** Debug information that cannot be read: truncated, inconsistent or beyond a work cap. One line of text. */
public final class DwarfFormatException extends Exception {
    /**
     * A problem described in one line, e.g. {@code ".debug_info: unit at 0x40 length 0x9000 past end (0x200)"}.
     *
     * @param message the problem, one line
     */
    public DwarfFormatException(String message) {
        super(message);
    }
}
