package io.hvprobe.run;

import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Core's rule catalogue ({@link CoreRule}) is the two core tables of docs/RULES.md: ids, severities, "rests on". */
class CoreRuleTest {
    private static final Pattern ROW = Pattern.compile(
            "^\\| `(hvprobe\\.[a-z.-]+)` \\| (\\w+) \\|.*\\| ([^|]+) \\|$", Pattern.MULTILINE);

    /** The rows of the core sections, in document order: id → {severity, rests on}. */
    private static Map<String, String[]> documented() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "RULES.md"));
        String core = doc.substring(doc.indexOf("## Run-level (core)"), doc.indexOf("## VMware model"));
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(core);
        while (m.find()) {
            rows.put(m.group(1), new String[] {m.group(2), m.group(3)});
        }
        return rows;
    }

    private static Set<Dependency> restsOn(String column) {
        Set<Dependency> d = EnumSet.noneOf(Dependency.class);
        for (String part : column.split(",")) {
            if (!part.isBlank() && !part.trim().equals("—")) {
                d.add(Dependency.valueOf(part.trim().toUpperCase(Locale.ROOT).replace(' ', '_')));
            }
        }
        return d;
    }

    @Test
    void idsAndSeveritiesAreTheDocumentedOnes() throws IOException {
        Map<String, Severity> documented = new TreeMap<>();
        documented().forEach((id, row) -> documented.put(id, Severity.valueOf(row[0].toUpperCase(Locale.ROOT))));
        Map<String, Severity> coded = new TreeMap<>();
        CoreRule.descriptors().forEach(r -> coded.put(r.id(), r.defaultSeverity()));

        assertThat(coded).isEqualTo(documented);
    }

    @Test
    void whatEachRuleRestsOnIsTheDocumentedColumn() throws IOException {
        Map<String, Set<Dependency>> documented = new TreeMap<>();
        documented().forEach((id, row) -> documented.put(id, restsOn(row[1])));
        Map<String, Set<Dependency>> coded = new TreeMap<>();
        CoreRule.descriptors().forEach(r -> coded.put(r.id(), r.restsOn()));

        assertThat(coded).isEqualTo(documented);
    }

    @Test
    void everyRuleHasADescriptionForReports() {
        assertThat(CoreRule.descriptors()).extracting(RuleDescriptor::description).allSatisfy(d ->
                assertThat(d).isNotBlank().endsWith("."));
    }

    @Test
    void aFindingCarriesItsRulesSeverityAndGrounds() {
        var f = CoreRule.FAULT.finding("read of 8 byte(s) at 0x0", Map.of("pc", "0x1000"));

        assertThat(f.ruleId()).isEqualTo("hvprobe.fault");
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.dependsOn()).containsExactlyInAnyOrder(Dependency.INPUT_VALUES, Dependency.PROTOCOL_STATE);
        assertThat(CoreRule.REDUNDANT_SAVE.finding("x", Map.of()).dependsOn()).isEmpty();
    }
}
