package io.hvprobe.report;

import io.hvprobe.spi.Severity;

import java.nio.file.Path;
import java.util.Set;

/**
 * How a check's findings are reported: which fail the check, which are left out, and how locations are written.
 *
 * @param failOn       which findings fail the check (exit status 1, JUnit failures)
 * @param minSeverity  findings below this severity are left out of the report (and so cannot fail it)
 * @param baseline     fingerprints ({@link ReportedFinding#fingerprint()}) of findings already known, left out
 * @param sourceRoot   the directory SARIF locations are relative to ({@code SRCROOT}); paths under it are written
 *                     relative to it
 * @param verbose      text reports list each finding's evidence on indented lines
 */
public record ReportSettings(FailOn failOn, Severity minSeverity, Set<String> baseline, Path sourceRoot,
                             boolean verbose) {

    /**
     * Copies {@code baseline} and makes {@code sourceRoot} absolute and normalised.
     *
     * @param failOn      which findings fail the check
     * @param minSeverity findings below this severity are left out
     * @param baseline    fingerprints of findings already known (copied)
     * @param sourceRoot  the directory SARIF locations are relative to (made absolute)
     * @param verbose     whether text reports list each finding's evidence
     */
    public ReportSettings {
        baseline = Set.copyOf(baseline);
        sourceRoot = sourceRoot.toAbsolutePath().normalize();
    }

    /**
     * Fail on errors, report everything, no baseline, the working directory as source root, terse text.
     *
     * @return the defaults
     */
    public static ReportSettings defaults() {
        return new ReportSettings(FailOn.ERROR, Severity.NOTE, Set.of(), Path.of(""), false);
    }

    /**
     * These settings failing on {@code failOn}.
     *
     * @param failOn which findings fail the check
     * @return a copy with that fail-on level
     */
    public ReportSettings withFailOn(FailOn failOn) {
        return new ReportSettings(failOn, minSeverity, baseline, sourceRoot, verbose);
    }

    /**
     * These settings leaving out findings below {@code minSeverity}.
     *
     * @param minSeverity the lowest severity reported
     * @return a copy with that minimum
     */
    public ReportSettings withMinSeverity(Severity minSeverity) {
        return new ReportSettings(failOn, minSeverity, baseline, sourceRoot, verbose);
    }

    /**
     * These settings leaving out findings whose fingerprint is in {@code baseline}.
     *
     * @param baseline fingerprints of known findings (copied); they replace this one's
     * @return a copy with that baseline
     */
    public ReportSettings withBaseline(Set<String> baseline) {
        return new ReportSettings(failOn, minSeverity, baseline, sourceRoot, verbose);
    }

    /**
     * These settings with {@code sourceRoot} as SARIF's {@code SRCROOT}.
     *
     * @param sourceRoot a directory, made absolute and normalised
     * @return a copy with that source root
     */
    public ReportSettings withSourceRoot(Path sourceRoot) {
        return new ReportSettings(failOn, minSeverity, baseline, sourceRoot, verbose);
    }

    /**
     * These settings with evidence lines in text reports on or off.
     *
     * @param verbose whether text reports list each finding's evidence
     * @return a copy with that choice
     */
    public ReportSettings withVerbose(boolean verbose) {
        return new ReportSettings(failOn, minSeverity, baseline, sourceRoot, verbose);
    }

    /**
     * {@code path} as written in reports: relative to the source root when it lies under it, else unchanged
     * (relative paths stay as the user gave them).
     *
     * @param path a path as the debug information or the user gave it
     * @return the path to write
     */
    public String relative(String path) {
        Path p;
        try {
            p = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            return path;
        }
        if (!p.isAbsolute()) {
            return path;
        }
        Path n = p.normalize();
        return n.startsWith(sourceRoot) ? sourceRoot.relativize(n).toString().replace('\\', '/') : path;
    }
}
