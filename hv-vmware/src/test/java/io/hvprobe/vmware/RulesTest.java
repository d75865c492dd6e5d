package io.hvprobe.vmware;

import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.hvprobe.vmware.finding.Rules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin's rule catalogue ({@link Rules}, the SARIF metadata) is the table in docs/RULES.md: same ids, same default
 * severities, same "rests on" column.
 */
class RulesTest {

    @Test
    void pluginRulesAreTheDocumentedOnes() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "RULES.md"));
        String section = doc.substring(doc.indexOf("## VMware model"));
        Map<String, Severity> documented = new TreeMap<>();
        Matcher m = Pattern.compile("^\\| `(vmware\\.[a-z0-9-]+)` \\| (\\w+) \\|", Pattern.MULTILINE).matcher(section);
        while (m.find()) {
            documented.put(m.group(1), Severity.valueOf(m.group(2).toUpperCase(Locale.ROOT)));
        }

        var rules = new VmwareHypervisor().rules();

        assertThat(rules.stream().collect(Collectors.toMap(RuleDescriptor::id, RuleDescriptor::defaultSeverity)))
                .isEqualTo(documented);
        assertThat(rules).allSatisfy(r -> assertThat(r.description()).as(r.id()).isNotBlank());
    }

    @Test
    void whatEachRuleRestsOnIsTheDocumentedColumn() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "RULES.md"));
        String section = doc.substring(doc.indexOf("## VMware model"));
        Map<String, Set<Dependency>> documented = new TreeMap<>();
        Matcher m = Pattern.compile("^\\| `(vmware\\.[a-z0-9-]+)` \\|.*\\| ([^|(]+?)(?: \\([^|]*\\))? \\|$",
                Pattern.MULTILINE).matcher(section);
        while (m.find()) {
            Set<Dependency> d = EnumSet.noneOf(Dependency.class);
            for (String part : m.group(2).split(",")) {
                if (!part.isBlank() && !part.trim().equals("—")) {
                    d.add(Dependency.valueOf(part.trim().toUpperCase(Locale.ROOT).replace(' ', '_')));
                }
            }
            documented.put(m.group(1), d);
        }
        Map<String, Set<Dependency>> coded = new TreeMap<>();
        new VmwareHypervisor().rules().forEach(r -> coded.put(r.id(), r.restsOn()));
        assertThat(documented).isEqualTo(coded);
    }

    @Test
    void findingsCarryTheirRulesCatalogueEntry() {
        for (Rules rule : Rules.values()) {
            var f = io.hvprobe.vmware.finding.Findings.of(rule, "example", "register", "ebx");
            assertThat(f.ruleId()).isEqualTo(rule.id());
            assertThat(f.severity()).isEqualTo(rule.defaultSeverity());
            assertThat(f.dependsOn()).isEqualTo(rule.restsOn());
            assertThat(Rules.byId(rule.id())).isSameAs(rule);
        }
    }
}
