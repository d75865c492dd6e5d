package io.hvprobe.cli;

import io.hvprobe.report.CheckReport;
import io.hvprobe.report.ReportFormat;
import io.hvprobe.report.TextReportWriter;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Severity;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Diagnostic lines as the terminal shows them: the {@code check} text report ({@link ReportFormat#TEXT}) and
 * {@code run}'s findings (the same lines, from {@link TextReportWriter#lines}), each line through one painter that
 * colours its severity word when colour is on and leaves it byte for byte as it is when off.
 */
final class TextReport {
    /** The severity word of a diagnostic line ({@code file:line:col: error: ...}, {@code obj:fn+0x1: note: ...}). */
    private static final Pattern SEVERITY = Pattern.compile("^(\\S[^ ]*: )(error|warning|note)(: )");

    private TextReport() {
    }

    /** The {@code check} text report. */
    static void write(CheckReport report, Writer out, Paint paint) throws IOException {
        StringWriter plain = new StringWriter();
        ReportFormat.TEXT.write(report, plain);
        String text = plain.toString();
        // Split at '\n' only, so every other character (a '\r' inside a message) stays where it was.
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            out.write(line(text.substring(start, end), paint));
            out.write('\n');
            start = end + 1;
        }
        out.write(line(text.substring(start), paint));
        out.flush();
    }

    /** One finding's lines, as {@code run} prints them. */
    static List<String> lines(LocatedFinding f, Paint paint, boolean verbose) {
        return TextReportWriter.lines(f, verbose).stream().map(l -> line(l, paint)).toList();
    }

    /** {@code line} with its severity word painted, if it is a diagnostic line. */
    static String line(String line, Paint paint) {
        Matcher m = SEVERITY.matcher(line);
        if (!paint.on() || !m.find()) {
            return line;
        }
        Severity s = Severity.parse(m.group(2));
        return m.group(1) + paint.severity(s, m.group(2)) + m.group(3) + line.substring(m.end());
    }
}
