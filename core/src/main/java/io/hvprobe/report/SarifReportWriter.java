package io.hvprobe.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes SARIF 2.1.0 as GitHub code scanning ingests it: one run; the rules that occur, with descriptions, help and
 * a link into docs/RULES.md; one result per finding (all profiles that produced it in {@code properties.profiles}).
 * A result's location is its source line when debug information gives one (relative to {@code SRCROOT}, the
 * source root), the object file otherwise; the object and function+offset are always a related and a logical
 * location. {@code partialFingerprints} carry {@link ReportedFinding#fingerprint()} so alerts and baselines
 * survive rebuilds.
 */
final class SarifReportWriter implements ReportWriter {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    /** The uriBaseId of paths relative to the source root. */
    static final String SRCROOT = "SRCROOT";
    /** Where rule anchors live, relative to the repository root (the project publishes no web site). */
    static final String RULES_DOC = "docs/RULES.md";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public void write(CheckReport report, Writer out) throws IOException {
        ReportSettings settings = report.settings();
        List<ReportedFinding> findings = report.reported();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", SCHEMA).put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "hvprobe").put("version", report.toolVersion())
                .put("informationUri", "README.md");

        Map<String, RuleDescriptor> known = new LinkedHashMap<>();
        report.rules().forEach(r -> known.put(r.id(), r));
        Map<String, Integer> index = new LinkedHashMap<>();
        ArrayNode rules = driver.putArray("rules");
        for (ReportedFinding f : findings) {
            String id = f.finding().ruleId();
            if (!index.containsKey(id)) {
                index.put(id, index.size());
                rule(rules.addObject(), known.getOrDefault(id, new RuleDescriptor(id, f.finding().severity(),
                        "Rule " + id + ".")));
            }
        }
        for (ObjectCoverage c : report.coverage()) {
            if (!c.unreachedHypercallSites().isEmpty() && !index.containsKey(ObjectCoverage.UNREACHED_RULE)) {
                index.put(ObjectCoverage.UNREACHED_RULE, index.size());
                rule(rules.addObject(), known.getOrDefault(ObjectCoverage.UNREACHED_RULE, new RuleDescriptor(
                        ObjectCoverage.UNREACHED_RULE, Severity.NOTE, "A hypercall site no run of the check reached.")));
            }
        }
        run.putObject("originalUriBaseIds").putObject(SRCROOT).put("uri",
                settings.sourceRoot().toUri().toString());

        ArrayNode results = run.putArray("results");
        for (ReportedFinding f : findings) {
            ObjectNode r = results.addObject();
            r.put("ruleId", f.finding().ruleId()).put("ruleIndex", index.get(f.finding().ruleId()))
                    .put("level", level(f.finding().severity()));
            r.putObject("message").put("text", f.finding().message());
            FindingSite site = f.site();
            ObjectNode loc = r.putArray("locations").addObject();
            ArrayNode related = r.putArray("relatedLocations");
            if (site.source().isPresent()) {
                SourceLocation s = site.source().get();
                ObjectNode physical = loc.putObject("physicalLocation");
                artifact(physical, s.file(), settings);
                region(physical, s.line(), s.column());
                int id = 1;
                String callee = s.function();
                for (SourceLocation.InlineFrame frame : s.inlinedFrom()) {
                    ObjectNode rl = related.addObject().put("id", id++);
                    ObjectNode p = rl.putObject("physicalLocation");
                    artifact(p, frame.file(), settings);
                    region(p, frame.line(), frame.column());
                    rl.putObject("message").put("text", (callee.isEmpty() ? "inlined" : callee + " inlined")
                            + " into " + frame.function() + " here");
                    callee = frame.function();
                }
                ObjectNode obj = related.addObject().put("id", id);
                artifact(obj.putObject("physicalLocation"), site.object(), settings);
                obj.putObject("message").put("text", "object code: " + settings.relative(site.object()) + ":"
                        + site.location());
            } else {
                artifact(loc.putObject("physicalLocation"), site.object(), settings);
            }
            ObjectNode logical = loc.putArray("logicalLocations").addObject();
            logical.put("name", site.function().isEmpty() ? site.location() : site.function())
                    .put("fullyQualifiedName", site.location())
                    .put("kind", site.function().isEmpty() ? "address" : "function");
            if (related.isEmpty()) {
                r.remove("relatedLocations");
            }
            r.putObject("partialFingerprints").put(ReportedFinding.FINGERPRINT_KEY, f.fingerprint());
            ObjectNode props = r.putObject("properties");
            ArrayNode profiles = props.putArray("profiles");
            f.profiles().forEach(profiles::add);
            props.put("arch", site.arch().name().toLowerCase(Locale.ROOT))
                    .put("variant", site.variant()).put("offset", site.offset());
            ObjectNode ev = props.putObject("evidence");
            f.finding().evidence().forEach(ev::put);
        }
        for (UnreachedNotes.Note note : UnreachedNotes.of(report.coverage(), settings)) {
            unreached(results.addObject(), index.get(ObjectCoverage.UNREACHED_RULE), note, settings);
        }
        MAPPER.writeValue(new NonClosingWriter(out), root);
        out.write('\n');
    }

    /**
     * The note for a hypercall site no run reached, under one or more profiles: coverage, not a finding, so its
     * fingerprint is the site's own ({@link UnreachedNotes}).
     */
    private static void unreached(ObjectNode r, int ruleIndex, UnreachedNotes.Note note, ReportSettings settings) {
        ObjectCoverage c = note.coverage();
        SiteCoverage site = note.site();
        r.put("ruleId", ObjectCoverage.UNREACHED_RULE).put("ruleIndex", ruleIndex).put("level", "note");
        r.putObject("message").put("text", "hypercall site " + site.location() + " (" + site.form()
                + ") was not reached: " + note.why());
        ObjectNode loc = r.putArray("locations").addObject();
        artifact(loc.putObject("physicalLocation"), c.object(), settings);
        loc.putArray("logicalLocations").addObject().put("name", site.location())
                .put("fullyQualifiedName", site.location()).put("kind", "function");
        r.putObject("partialFingerprints").put(ReportedFinding.FINGERPRINT_KEY, note.fingerprint());
        ObjectNode props = r.putObject("properties");
        ArrayNode profiles = props.putArray("profiles");
        note.profiles().forEach(profiles::add);
        props.put("arch", c.arch().name().toLowerCase(Locale.ROOT)).put("variant", c.variant())
                .put("form", site.form());
    }

    private static void rule(ObjectNode rule, RuleDescriptor d) {
        String level = level(d.defaultSeverity());
        rule.put("id", d.id()).put("name", name(d.id()));
        rule.putObject("shortDescription").put("text", d.description());
        rule.putObject("fullDescription").put("text", d.description() + " Default severity: " + level + ".");
        String anchor = RULES_DOC + "#" + d.id();
        rule.putObject("help")
                .put("text", d.description() + " See " + anchor + " for what the rule checks and how to fix it;"
                        + " suppress it with --suppress " + d.id() + "[@FUNCTION] or in .hvprobe.yaml.")
                .put("markdown", d.description() + " See [" + d.id() + "](" + anchor + ") for what the rule"
                        + " checks and how to fix it; suppress it with `--suppress " + d.id()
                        + "[@FUNCTION]` or in `.hvprobe.yaml`.");
        rule.put("helpUri", anchor);
        rule.putObject("defaultConfiguration").put("level", level);
    }

    /** A readable rule name distinct from the id, as SARIF asks: {@code hvprobe.clobber.may-change} → ClobberMayChange. */
    static String name(String id) {
        String local = id.contains(".") ? id.substring(id.indexOf('.') + 1) : id;
        StringBuilder b = new StringBuilder();
        for (String part : local.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.isEmpty() ? "Rule" : b.toString();
    }

    /** {@code path} as an artifact location: relative to {@code SRCROOT} when possible, else an absolute URI. */
    private static void artifact(ObjectNode physical, String path, ReportSettings settings) {
        ObjectNode a = physical.putObject("artifactLocation");
        String rel = settings.relative(path);
        boolean absolute = isAbsolute(rel);
        a.put("uri", absolute ? Path.of(rel).toUri().toString() : uri(rel));
        if (!absolute) {
            a.put("uriBaseId", SRCROOT);
        }
    }

    private static boolean isAbsolute(String path) {
        try {
            return Path.of(path).isAbsolute();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    private static void region(ObjectNode physical, int line, int column) {
        ObjectNode region = physical.putObject("region").put("startLine", line);
        if (column > 0) {
            region.put("startColumn", column);
        }
    }

    private static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case NOTE -> "note";
        };
    }

    /**
     * SARIF wants a URI reference: relative paths stay relative, with forward slashes; every byte outside the
     * unreserved set (and '/') is percent-encoded, so names with '#', '%', '?' or spaces stay one path; a
     * Windows drive path becomes a {@code file:} URI (else "C:" would read as a scheme).
     */
    static String uri(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        boolean drive = p.length() >= 2 && p.charAt(1) == ':' && Character.isLetter(p.charAt(0));
        StringBuilder b = new StringBuilder(drive ? "file:///" : "");
        byte[] bytes = p.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xFF;
            boolean keep = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || drive && i == 1;
            if (keep) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return b.toString();
    }
}
