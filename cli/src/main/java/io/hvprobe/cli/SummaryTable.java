package io.hvprobe.cli;

import io.hvprobe.report.CheckReport;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.spi.Severity;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The text summary after a check's findings: objects, functions, hypercalls, findings by rule. */
final class SummaryTable {
    private SummaryTable() {
    }

    /**
     * Prints the summary; {@code objects} counts the objects checked, and the {@link LoadFailure} entries of the
     * report add a "not loaded" count to that row instead of counting as functions.
     */
    static void print(CheckReport report, int objects, int profiles, PrintWriter out) {
        java.util.List<FunctionResult> runs = report.results().stream().filter(r -> !LoadFailure.is(r)).toList();
        long unloadable = report.results().size() - runs.size();
        long functions = runs.stream().map(r -> r.object() + "\0" + r.function()).distinct().count();
        long hypercalls = report.results().stream().mapToLong(FunctionResult::hypercalls).sum();
        long instructions = report.results().stream().mapToLong(FunctionResult::instructions).sum();
        Map<Severity, Long> bySeverity = new TreeMap<>();
        report.reported().forEach(f -> bySeverity.merge(f.finding().severity(), 1L, Long::sum));
        out.println();
        out.println("summary");
        row(out, "objects", objects + (unloadable == 0 ? "" : " (and " + unloadable + " not loaded)"));
        row(out, "functions", Long.toString(functions));
        row(out, "function runs", runs.size() + " (" + profiles + (profiles == 1 ? " profile)"
                : " profiles)"));
        row(out, "instructions", Long.toString(instructions));
        row(out, "hypercalls", Long.toString(hypercalls));
        row(out, "findings", report.reported().size() + " (" + bySeverity.getOrDefault(Severity.ERROR, 0L)
                + " errors, " + bySeverity.getOrDefault(Severity.WARNING, 0L) + " warnings, "
                + bySeverity.getOrDefault(Severity.NOTE, 0L) + " notes)");
        Map<String, Long> byRule = report.countsByRule();
        if (!byRule.isEmpty()) {
            out.println("  findings by rule");
            int width = byRule.keySet().stream().mapToInt(String::length).max().orElse(10);
            byRule.forEach((rule, n) -> out.printf(Locale.ROOT, "    %-" + width + "s  %6d%n", rule, n));
        }
    }

    /** One {@code name value} row of the table (also the rows {@code check --manifest} adds). */
    static void row(PrintWriter out, String name, String value) {
        out.printf(Locale.ROOT, "  %-16s %s%n", name, value);
    }
}
