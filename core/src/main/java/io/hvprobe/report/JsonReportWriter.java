package io.hvprobe.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.coverage.SiteKind;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;

import java.io.IOException;
import java.io.Writer;
import java.util.Locale;

/**
 * Writes the report as one JSON document: {@code tool}, {@code results[]} (per function and profile, with the
 * reported findings), {@code summary} (distinct findings: one per finding and site whatever the profiles).
 */
public final class JsonReportWriter implements ReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A JSON writer; it keeps no state, so one may write any number of reports, also concurrently. */
    public JsonReportWriter() {
    }

    @Override
    public void write(CheckReport report, Writer out) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("tool").put("name", "hvprobe").put("version", report.toolVersion());
        ArrayNode results = root.putArray("results");
        java.util.function.Predicate<LocatedFinding> reported = report.reportedFilter();
        for (FunctionResult r : report.results()) {
            ObjectNode n = results.addObject();
            n.put("object", r.object()).put("function", r.function())
                    .put("arch", r.arch().name().toLowerCase(Locale.ROOT)).put("variant", r.variant())
                    .put("profile", r.profile()).put("hypercalls", r.hypercalls())
                    .put("instructions", r.instructions());
            ArrayNode fs = n.putArray("findings");
            r.findings().stream().filter(reported).forEach(f -> fs.add(finding(f)));
        }
        if (!report.coverage().isEmpty()) {
            ArrayNode objects = root.putArray("objects");
            report.coverage().forEach(c -> objects.add(coverage(c)));
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("functions", report.results().size());
        summary.put("hypercalls", report.results().stream().mapToLong(FunctionResult::hypercalls).sum());
        summary.put("findings", report.reported().size());
        ObjectNode byRule = summary.putObject("byRule");
        report.countsByRule().forEach(byRule::put);
        MAPPER.writeValue(new NonClosingWriter(out), root);
        out.write('\n');
    }

    /** One object's trap-site coverage: counts and {@code trapSites}, one entry per site. */
    private static ObjectNode coverage(ObjectCoverage c) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("object", c.object()).put("arch", c.arch().name().toLowerCase(Locale.ROOT)).put("variant", c.variant())
                .put("profile", c.profile()).put("hypercallSites", c.hypercallSites())
                .put("reachedHypercallSites", c.reachedHypercallSites())
                .put("forcedHypercallSites", c.forcedHypercallSites()).put("deviceIoSites", c.deviceIoSites());
        ArrayNode sites = n.putArray("trapSites");
        for (SiteCoverage s : c.sites()) {
            ObjectNode o = sites.addObject().put("location", s.location())
                    .put("address", "0x" + Long.toHexString(s.address())).put("form", s.form())
                    .put("kind", s.kind() == SiteKind.HYPERCALL ? "hypercall" : "device-io")
                    .put("reached", s.reached());
            s.how().ifPresent(h -> o.put("how", h.name().toLowerCase(Locale.ROOT)));
            if (!s.detail().isEmpty()) {
                o.put(s.reached() ? "forcedPath" : "why", s.detail());
            }
        }
        return n;
    }

    /**
     * One finding as a JSON object (also used by {@code hvprobe run} and {@code compare --format json}).
     *
     * @param f the finding and its site
     * @return a new JSON object: rule, severity, message, site, source location (when known) and evidence
     */
    public static ObjectNode finding(LocatedFinding f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("rule", f.finding().ruleId())
                .put("severity", f.finding().severity().name().toLowerCase(Locale.ROOT))
                .put("message", f.finding().message())
                .put("object", f.site().object()).put("function", f.site().function())
                .put("offset", f.site().offset()).put("location", f.site().location())
                .put("arch", f.site().arch().name().toLowerCase(Locale.ROOT))
                .put("variant", f.site().variant()).put("profile", f.site().profile());
        f.site().source().ifPresent(s -> {
            ObjectNode src = n.putObject("source").put("file", s.file()).put("line", s.line())
                    .put("column", s.column()).put("function", s.function());
            ArrayNode inlined = src.putArray("inlinedFrom");
            s.inlinedFrom().forEach(i -> inlined.addObject().put("file", i.file()).put("line", i.line())
                    .put("column", i.column()).put("function", i.function()));
        });
        ObjectNode ev = n.putObject("evidence");
        f.finding().evidence().forEach(ev::put);
        return n;
    }
}
