package io.hvprobe.cli;

import io.hvprobe.report.CheckReport;
import io.hvprobe.report.ReportFormat;

import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code check} text report: {@link ReportFormat#TEXT} itself, or the same lines with the severities coloured
 * when colour is on (a terminal).
 */
final class TextReport {
    /** The severity word of a diagnostic line ({@code file:line:col: error: ...}, {@code obj:fn+0x1: note: ...}). */
    private static final Pattern SEVERITY = Pattern.compile("^(\\S[^ ]*: )(error|warning|note)(: )");

    private TextReport() {
    }

    static void write(CheckReport report, Writer out, Paint paint) throws IOException {
        if (!paint.on()) {
            ReportFormat.TEXT.write(report, out);
            return;
        }
        StringWriter plain = new StringWriter();
        ReportFormat.TEXT.write(report, plain);
        for (String line : plain.toString().lines().toList()) {
            out.write(colour(line, paint));
            out.write('\n');
        }
        out.flush();
    }

    /** {@code line} with its severity word coloured, if it is a diagnostic line. */
    static String colour(String line, Paint paint) {
        Matcher m = SEVERITY.matcher(line);
        if (!m.find()) {
            return line;
        }
        io.hvprobe.spi.Severity s = io.hvprobe.spi.Severity.parse(m.group(2));
        return m.group(1) + paint.severity(s, m.group(2)) + m.group(3) + line.substring(m.end());
    }
}
