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

    /** Whether a report whose worst finding is {@code worst} fails. */
    public boolean fails(java.util.Optional<Severity> worst) {
        return switch (this) {
            case NEVER -> false;
            case ERROR -> worst.filter(s -> s == Severity.ERROR).isPresent();
            case WARNING -> worst.filter(s -> s.compareTo(Severity.WARNING) >= 0).isPresent();
        };
    }
}
