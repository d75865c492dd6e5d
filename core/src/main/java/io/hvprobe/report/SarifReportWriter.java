package io.hvprobe.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes SARIF 2.1.0: one run, the rules that occur (with descriptions where known), one result per
 * finding with the object as artifact and function+offset as a logical location.
 */
final class SarifReportWriter {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    void write(CheckReport report, Writer out) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", SCHEMA).put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        // No informationUri: the project publishes no home page, and SARIF makes the property optional.
        driver.put("name", "hvprobe").put("version", report.toolVersion());

        Map<String, RuleDescriptor> known = new LinkedHashMap<>();
        report.rules().forEach(r -> known.put(r.id(), r));
        Map<String, Integer> index = new LinkedHashMap<>();
        ArrayNode rules = driver.putArray("rules");
        for (LocatedFinding f : report.findings()) {
            String id = f.finding().ruleId();
            if (index.containsKey(id)) {
                continue;
            }
            index.put(id, index.size());
            RuleDescriptor d = known.getOrDefault(id, new RuleDescriptor(id, f.finding().severity(), id));
            ObjectNode rule = rules.addObject();
            rule.put("id", id);
            rule.putObject("shortDescription").put("text", d.description());
            rule.putObject("defaultConfiguration").put("level", level(d.defaultSeverity()));
        }

        ArrayNode results = run.putArray("results");
        for (LocatedFinding f : report.findings()) {
            ObjectNode r = results.addObject();
            r.put("ruleId", f.finding().ruleId()).put("ruleIndex", index.get(f.finding().ruleId()))
                    .put("level", level(f.finding().severity()));
            r.putObject("message").put("text", f.finding().message());
            ObjectNode loc = r.putArray("locations").addObject();
            loc.putObject("physicalLocation").putObject("artifactLocation").put("uri", uri(f.site().object()));
            ObjectNode logical = loc.putArray("logicalLocations").addObject();
            logical.put("name", f.site().function().isEmpty() ? f.site().location() : f.site().function())
                    .put("fullyQualifiedName", f.site().location())
                    .put("kind", f.site().function().isEmpty() ? "address" : "function");
            ObjectNode props = r.putObject("properties");
            props.put("arch", f.site().arch().name().toLowerCase(java.util.Locale.ROOT))
                    .put("variant", f.site().variant()).put("profile", f.site().profile())
                    .put("offset", f.site().offset());
            ObjectNode ev = props.putObject("evidence");
            f.finding().evidence().forEach(ev::put);
        }
        MAPPER.writeValue(new NonClosingWriter(out), root);
        out.write('\n');
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
