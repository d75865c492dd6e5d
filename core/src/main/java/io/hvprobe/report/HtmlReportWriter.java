package io.hvprobe.report;

import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.coverage.SiteKind;
import io.hvprobe.report.html.Bar;
import io.hvprobe.report.html.ContractIndex;
import io.hvprobe.report.html.Contracts;
import io.hvprobe.report.html.FindingBlock;
import io.hvprobe.report.html.Html;
import io.hvprobe.report.html.SiteCodeView;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.spi.Severity;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Writes the report as one self-contained HTML page: an overview (per object, variant and profile: functions,
 * findings by severity, hypercall-site coverage as a bar), filters (rule, severity, object), every reported
 * finding with the path that matters (where the value was set, the trap, where it was read) and its evidence,
 * and every checked object's trap sites, reached or not, each with its source line or the disassembly around it,
 * then the register contracts the findings refer to.
 * Same report, same bytes.
 */
final class HtmlReportWriter implements ReportWriter {
    private final Contracts contracts;

    /** A writer that shows beside each finding the contracts of its command found in {@code contracts}. */
    HtmlReportWriter(Contracts contracts) {
        this.contracts = contracts;
    }

    /** One overview row: an object under one variant and profile. */
    private record Cell(String object, String arch, String variant, String profile) implements Comparable<Cell> {
        @Override
        public int compareTo(Cell o) {
            return java.util.Comparator.comparing(Cell::object).thenComparing(Cell::variant)
                    .thenComparing(Cell::profile).thenComparing(Cell::arch).compare(this, o);
        }
    }

    /** What one overview row counts. */
    private static final class Tally {
        long functions;
        long hypercalls;
        final Map<Severity, Long> bySeverity = new EnumMap<>(Severity.class);
    }

    @Override
    public void write(CheckReport report, Writer out) throws IOException {
        List<ReportedFinding> findings = report.reported();
        Html h = Html.page("hvprobe check report");
        h.element("h1", "hvprobe check report");
        h.element("p", "hvprobe " + report.toolVersion(), "class", "tool");
        summary(h, report, findings);
        overview(h, report);
        ContractIndex index = new ContractIndex(contracts);
        findings(h, report, findings, index);
        coverage(h, report.coverage(), report.settings()::relative);
        index.writeSection(h);
        out.write(h.finish());
    }

    private static void summary(Html h, CheckReport report, List<ReportedFinding> findings) {
        Map<Severity, Long> by = new EnumMap<>(Severity.class);
        findings.forEach(f -> by.merge(f.finding().severity(), 1L, Long::sum));
        long hypercalls = report.results().stream().mapToLong(FunctionResult::hypercalls).sum();
        h.open("p", "id", "summary", "class", "counts", "data-functions", String.valueOf(report.results().size()),
                "data-hypercalls", String.valueOf(hypercalls), "data-findings", String.valueOf(findings.size()));
        h.element("span", report.results().size() + " function run(s)");
        h.element("span", hypercalls + " hypercall(s)");
        h.element("span", findings.size() + " finding(s)", "id", "finding-count");
        for (Severity s : severities()) {
            h.element("span", by.getOrDefault(s, 0L) + " " + word(s) + "(s)", "class", "sev-" + word(s),
                    "data-severity-count", word(s));
        }
        h.close().newline();
    }

    private static void overview(Html h, CheckReport report) {
        Map<Cell, Tally> cells = new TreeMap<>();
        java.util.function.Predicate<io.hvprobe.run.LocatedFinding> reported = report.reportedFilter();
        for (FunctionResult r : report.results()) {
            Tally t = cells.computeIfAbsent(new Cell(r.object(), arch(r.arch()), r.variant(), r.profile()),
                    k -> new Tally());
            t.functions++;
            t.hypercalls += r.hypercalls();
            r.findings().stream().filter(reported).forEach(f -> t.bySeverity.merge(f.finding().severity(), 1L,
                    Long::sum));
        }
        Map<Cell, ObjectCoverage> coverage = new TreeMap<>();
        report.coverage().forEach(c -> coverage.put(new Cell(c.object(), arch(c.arch()), c.variant(), c.profile()),
                c));
        h.element("h2", "Overview", "id", "overview-title");
        h.open("table", "id", "overview").open("thead").open("tr");
        for (String c : List.of("object", "arch", "variant", "profile", "functions", "hypercalls", "errors",
                "warnings", "notes", "hypercall sites reached")) {
            h.element("th", c);
        }
        h.close().close().open("tbody");
        for (var e : cells.entrySet()) {
            Cell c = e.getKey();
            Tally t = e.getValue();
            h.open("tr", "class", "cell", "data-object", c.object());
            h.element("td", c.object(), "class", "loc").element("td", c.arch()).element("td", c.variant())
                    .element("td", c.profile());
            h.element("td", String.valueOf(t.functions), "class", "n", "data-count", "functions");
            h.element("td", String.valueOf(t.hypercalls), "class", "n", "data-count", "hypercalls");
            for (Severity s : severities()) {
                h.element("td", String.valueOf(t.bySeverity.getOrDefault(s, 0L)), "class", "n",
                        "data-count", word(s));
            }
            h.open("td");
            ObjectCoverage oc = coverage.get(c);
            if (oc == null) {
                h.text("not measured");
            } else {
                long reached = oc.reachedHypercallSites();
                long forced = oc.forcedHypercallSites();
                Bar.write(h, oc.hypercallSites(), List.of(new Bar.Part(reached - forced, "r"),
                        new Bar.Part(forced, "f")));
                h.text(" " + reached + "/" + oc.hypercallSites() + (forced > 0 ? " (" + forced + " forced)" : ""));
            }
            h.close().close().newline();
        }
        h.close().close();
    }

    private static void findings(Html h, CheckReport report, List<ReportedFinding> findings,
                                 ContractIndex contracts) {
        h.element("h2", "Findings", "id", "findings-title");
        h.open("div", "id", "filters");
        select(h, "filter-rule", "rule", new TreeSet<>(findings.stream().map(f -> f.finding().ruleId()).toList()));
        List<String> sevs = new ArrayList<>();
        severities().forEach(s -> sevs.add(word(s)));
        select(h, "filter-severity", "severity", sevs);
        select(h, "filter-object", "object", new TreeSet<>(findings.stream().map(f -> f.site().object()).toList()));
        h.open("span").element("span", String.valueOf(findings.size()), "id", "shown").text(" shown").close();
        h.close().newline();
        if (findings.isEmpty()) {
            h.element("p", "No findings.", "id", "no-findings");
        }
        h.open("div", "id", "finding-list");
        int n = 0;
        for (ReportedFinding f : findings) {
            FindingBlock.write(h, n++, f.finding(), f.site(), f.profileList(), report.settings()::relative,
                    contracts);
        }
        h.close();
    }

    private static void select(Html h, String id, String label, Iterable<String> values) {
        h.open("label").text(label + " ").open("select", "id", id).element("option", "all", "value", "");
        values.forEach(v -> h.element("option", v, "value", v));
        h.close().close();
    }

    private static void coverage(Html h, List<ObjectCoverage> coverage, UnaryOperator<String> relative) {
        if (coverage.isEmpty()) {
            return;
        }
        h.element("h2", "Trap sites", "id", "sites-title");
        int n = 0;
        for (ObjectCoverage c : coverage) {
            h.open("section", "class", "object", "id", "o-" + n++, "data-object", c.object());
            h.element("h3", c.label()).element("p", c.summary());
            h.open("table", "class", "sites").open("thead").open("tr");
            for (String col : List.of("site", "address", "form", "kind", "reached", "how / why not", "code")) {
                h.element("th", col);
            }
            h.close().close().open("tbody");
            for (SiteCoverage s : c.sites()) {
                String how = s.how().map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("not reached");
                h.open("tr").element("td", s.location(), "class", "loc")
                        .element("td", "0x" + Long.toHexString(s.address()), "class", "loc")
                        .element("td", s.form())
                        .element("td", s.kind() == SiteKind.HYPERCALL ? "hypercall" : "device I/O")
                        .element("td", how, "class", s.reached() ? (how.equals("forced") ? "forced" : "reached")
                                : "unreached")
                        .element("td", s.detail()).open("td", "class", "code");
                SiteCodeView.write(h, s.code(), relative);
                h.close().close().newline();
            }
            h.close().close().close();
        }
    }

    private static List<Severity> severities() {
        return List.of(Severity.ERROR, Severity.WARNING, Severity.NOTE);
    }

    private static String word(Severity s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String arch(io.hvprobe.arch.Arch a) {
        return a.name().toLowerCase(Locale.ROOT);
    }
}
