package io.hvprobe.spi;

/** How serious a finding is; ordered from least to most severe. */
public enum Severity {
    /** Worth knowing, not a defect (e.g. a cost observation). */
    NOTE,
    /** Works today but depends on behaviour the ABI does not promise. */
    WARNING,
    /** Wrong: the guest and the hypervisor disagree. */
    ERROR;

    /**
     * Reads a severity as the command line and profiles write it.
     *
     * @param s {@code error}, {@code warning} or {@code note}, in any case, surrounding blanks ignored
     * @return the severity
     * @throws IllegalArgumentException for any other word
     */
    public static Severity parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
