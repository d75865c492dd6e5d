package io.hvprobe.report;

import io.hvprobe.spi.Severity;

/** Which findings make a check fail (exit status 1). */
public enum FailOn {
    /** Fail on errors only. */
    ERROR,
    /** Fail on warnings and errors. */
    WARNING,
    /** Never fail because of findings. */
    NEVER;

    /**
     * Whether a report whose worst finding is {@code worst} fails.
     *
     * @param worst the worst reported severity, empty when nothing was reported
     * @return whether the check fails (never when {@code worst} is empty)
     */
    public boolean fails(java.util.Optional<Severity> worst) {
        return worst.filter(this::fails).isPresent();
    }

    /**
     * Whether a finding of severity {@code s} fails the check.
     *
     * @param s a finding's severity
     * @return whether it fails the check at this level
     */
    public boolean fails(Severity s) {
        return switch (this) {
            case NEVER -> false;
            case ERROR -> s == Severity.ERROR;
            case WARNING -> s.compareTo(Severity.WARNING) >= 0;
        };
    }
}
