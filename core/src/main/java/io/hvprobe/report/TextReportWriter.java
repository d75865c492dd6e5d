package io.hvprobe.report;

import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.spi.Finding;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes findings as gcc writes diagnostics, so editors and CI problem matchers pick them up, then a one-line
 * summary.
 * <ul>
 * <li>With a source location: {@code file:line:col: error: message [rule]}, a {@code file:line:col: note:} line per
 * inlined call (as gcc reports inlining), then the object location indented.</li>
 * <li>Without: {@code object:function+0xNN: error: message [rule]} (no line number to give, so editors do not take
 * it for a source position), then the profiles and variant indented.</li>
 * </ul>
 * With {@link ReportSettings#verbose()} the evidence follows, one indented {@code key=value} line each.
 */
public final class TextReportWriter implements ReportWriter {
    /** Longest line written (terminals and CI logs show 200 columns comfortably; gcc's own lines stay well under). */
    static final int MAX_LINE = 199;

    /** A text writer; it keeps no state, so one may write any number of reports, also concurrently. */
    public TextReportWriter() {
    }

    @Override
    public void write(CheckReport report, Writer out) throws IOException {
        List<ReportedFinding> findings = report.reported();
        for (ReportedFinding f : findings) {
            for (String line : lines(f.finding(), f.site(), f.profileList(), report.settings().verbose())) {
                out.write(line);
                out.write('\n');
            }
        }
        for (ObjectCoverage c : report.coverage()) {
            out.write(c.label() + ": " + c.summary() + "\n");
            for (SiteCoverage site : c.unreachedHypercallSites()) {
                StringBuilder line = new StringBuilder();
                for (String l : wrapped("  not reached: " + site.location() + " " + site.form() + ": "
                        + site.detail())) {
                    line.append(l).append('\n');
                }
                out.write(line.toString());
            }
        }
        long hypercalls = report.results().stream().mapToLong(r -> r.hypercalls()).sum();
        out.write(String.format(Locale.ROOT, "%d function run(s), %d hypercall(s), %d finding(s)%n",
                report.results().size(), hypercalls, findings.size()));
    }

    /**
     * The lines of one finding made under one profile (the {@code run} command's findings).
     *
     * @param f       the finding and its site
     * @param verbose whether the evidence lines follow
     * @return the lines, without line separators, each at most 199 characters
     */
    public static List<String> lines(LocatedFinding f, boolean verbose) {
        return lines(f.finding(), f.site(), f.site().profile(), verbose);
    }

    /** The lines of one finding, made under {@code profiles} (comma-separated, or {@code ""}). */
    static List<String> lines(Finding finding, FindingSite site, String profiles, boolean verbose) {
        List<String> lines = new ArrayList<>();
        String severity = finding.severity().name().toLowerCase(Locale.ROOT);
        String tag = " [" + finding.ruleId() + "]";
        String context = context(site, profiles);
        if (site.source().isPresent()) {
            SourceLocation s = site.source().get();
            diagnostic(lines, s.position() + ": " + severity + ": ", finding.message(), tag);
            String callee = s.function();
            for (SourceLocation.InlineFrame frame : s.inlinedFrom()) {
                lines.add(frame.position() + ": note: " + (callee.isEmpty() ? "inlined" : callee + " inlined")
                        + " into " + frame.function() + " here");
                callee = frame.function();
            }
            lines.add("  at " + site.object() + ":" + site.location() + (context.isEmpty() ? "" : " (" + context + ")"));
        } else {
            diagnostic(lines, site.object() + ":" + site.location() + ": " + severity + ": ", finding.message(), tag);
            if (!context.isEmpty()) {
                lines.add("  " + context);
            }
        }
        if (verbose) {
            finding.evidence().forEach((k, v) -> wrap(lines, "    " + k + "=" + v, "      "));
        }
        return lines;
    }

    /**
     * {@code head + message + tag} as one line when it fits under {@link #MAX_LINE}; otherwise the message is cut
     * at a clause (or word) boundary, the tag ends the first line and the rest follows on indented lines.
     */
    private static void diagnostic(List<String> lines, String head, String message, String tag) {
        if (head.length() + message.length() + tag.length() <= MAX_LINE) {
            lines.add(head + message + tag);
            return;
        }
        int budget = Math.max(20, MAX_LINE - head.length() - tag.length());
        int cut = breakAt(message, budget);
        lines.add(head + message.substring(0, cut).stripTrailing().replaceAll("[;,:]$", "") + tag);
        String rest = message.substring(cut).strip();
        if (rest.startsWith(";") || rest.startsWith(",") || rest.startsWith(":")) {
            rest = rest.substring(1).strip();
        }
        wrap(lines, "  " + rest, "  ");
    }

    private static List<String> wrapped(String line) {
        List<String> lines = new ArrayList<>();
        wrap(lines, line, "    ");
        return lines;
    }

    /** Adds {@code line}, broken at spaces into lines under {@link #MAX_LINE} continued with {@code indent}. */
    private static void wrap(List<String> lines, String line, String indent) {
        String rest = line;
        while (rest.length() > MAX_LINE) {
            int cut = breakAt(rest, MAX_LINE);
            lines.add(rest.substring(0, cut).stripTrailing());
            rest = indent + rest.substring(cut).strip();
        }
        lines.add(rest);
    }

    /** Where to cut {@code s} to at most {@code max} characters: after a clause if one ends late enough, else a word. */
    private static int breakAt(String s, int max) {
        if (s.length() <= max) {
            return s.length();
        }
        for (String boundary : List.of("; ", ": ", ", ", " ")) {
            int i = s.lastIndexOf(boundary, max - boundary.length());
            if (i > max / 2) {
                return i + boundary.length() - 1;
            }
        }
        return max; // one unbroken word
    }

    private static String context(FindingSite site, String profiles) {
        List<String> parts = new ArrayList<>();
        if (!profiles.isEmpty()) {
            parts.add((profiles.contains(",") ? "profiles " : "profile ") + profiles);
        }
        if (!site.variant().isEmpty()) {
            parts.add("variant " + site.variant());
        }
        return String.join("; ", parts);
    }
}
