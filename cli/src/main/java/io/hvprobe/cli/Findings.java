package io.hvprobe.cli;

import io.hvprobe.run.LocatedFinding;

import java.util.Locale;

/** One finding as a text line (its JSON form is {@link io.hvprobe.report.JsonReportWriter#finding}). */
final class Findings {
    private Findings() {
    }

    /** {@code obj.o: fn+0x1c: error: [rule] message (profile vmware, variant; key=value ...)}. */
    static String line(LocatedFinding f, Paint paint) {
        var site = f.site();
        String sev = f.finding().severity().name().toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder();
        b.append(site.object()).append(": ").append(site.location()).append(": ")
                .append(paint.severity(f.finding().severity(), sev)).append(": [").append(f.finding().ruleId())
                .append("] ").append(f.finding().message());
        StringBuilder ctx = new StringBuilder();
        if (!site.profile().isEmpty()) {
            ctx.append("profile ").append(site.profile());
        }
        if (!site.variant().isEmpty()) {
            ctx.append(ctx.isEmpty() ? "" : ", ").append(site.variant());
        }
        if (!f.finding().evidence().isEmpty()) {
            ctx.append(ctx.isEmpty() ? "" : "; ");
            f.finding().evidence().forEach((k, v) -> ctx.append(k).append('=').append(v).append(' '));
            ctx.setLength(ctx.length() - 1);
        }
        if (!ctx.isEmpty()) {
            b.append(" (").append(ctx).append(')');
        }
        return b.toString();
    }
}
