package io.hvprobe.cli;

import io.hvprobe.report.CheckReport;
import io.hvprobe.report.ReportFormat;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * The {@code check} text report: {@link ReportFormat#TEXT} itself, or the same lines with the severities coloured
 * when colour is on (a terminal).
 */
final class TextReport {
    private TextReport() {
    }

    static void write(CheckReport report, Writer out, Paint paint) throws IOException {
        if (!paint.on()) {
            ReportFormat.TEXT.write(report, out);
            return;
        }
        for (LocatedFinding f : report.findings()) {
            out.write(Findings.line(f, paint));
            out.write('\n');
        }
        long hypercalls = report.results().stream().mapToLong(FunctionResult::hypercalls).sum();
        out.write(String.format(Locale.ROOT, "%d function run(s), %d hypercall(s), %d finding(s)%n",
                report.results().size(), hypercalls, report.findings().size()));
        out.flush();
    }
}
