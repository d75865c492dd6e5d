package io.hvprobe.report;

import io.hvprobe.run.LocatedFinding;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;
import java.util.Map;

/** Writes findings in the gcc diagnostic style, one per line, then a one-line summary. */
final class TextReportWriter {

    void write(CheckReport report, Writer out) throws IOException {
        for (LocatedFinding f : report.findings()) {
            out.write(line(f));
            out.write('\n');
        }
        long functions = report.results().size();
        long hypercalls = report.results().stream().mapToLong(r -> r.hypercalls()).sum();
        out.write(String.format(Locale.ROOT, "%d function run(s), %d hypercall(s), %d finding(s)%n",
                functions, hypercalls, report.findings().size()));
    }

    /** {@code obj.o: vmw_probe+0x1c: error: [rule] message (profile vmware, gcc/O2; rbx=...)}. */
    static String line(LocatedFinding f) {
        var site = f.site();
        StringBuilder b = new StringBuilder();
        b.append(site.object()).append(": ").append(site.location()).append(": ")
                .append(f.finding().severity().name().toLowerCase(Locale.ROOT)).append(": [")
                .append(f.finding().ruleId()).append("] ").append(f.finding().message());
        StringBuilder ctx = new StringBuilder();
        if (!site.profile().isEmpty()) {
            ctx.append("profile ").append(site.profile());
        }
        if (!site.variant().isEmpty()) {
            ctx.append(ctx.isEmpty() ? "" : ", ").append(site.variant());
        }
        Map<String, String> ev = f.finding().evidence();
        if (!ev.isEmpty()) {
            ctx.append(ctx.isEmpty() ? "" : "; ");
            ev.forEach((k, v) -> ctx.append(k).append('=').append(v).append(' '));
            ctx.setLength(ctx.length() - 1);
        }
        if (!ctx.isEmpty()) {
            b.append(" (").append(ctx).append(')');
        }
        return b.toString();
    }
}
