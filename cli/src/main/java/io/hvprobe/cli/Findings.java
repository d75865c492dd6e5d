package io.hvprobe.cli;

import io.hvprobe.report.TextReportWriter;
import io.hvprobe.run.LocatedFinding;

import java.util.List;

/** One finding as text lines, as the check report writes it (its JSON form is JsonReportWriter#finding). */
final class Findings {
    private Findings() {
    }

    /** The finding's diagnostic lines, the severity coloured when {@code paint} is on. */
    static List<String> lines(LocatedFinding f, Paint paint, boolean verbose) {
        return TextReportWriter.lines(f, verbose).stream().map(l -> TextReport.colour(l, paint)).toList();
    }
}
