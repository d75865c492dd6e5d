package io.hvprobe.kvm;

import io.hvprobe.kvm.finding.Findings;
import io.hvprobe.kvm.finding.Rules;
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

import static org.assertj.core.api.Assertions.assertThat;

/** The KVM model's rule catalogue ({@link Rules}) is the "KVM model" table of docs/RULES.md. */
class RulesTest {
    private static final Pattern ROW = Pattern.compile(
            "^\\| `((?:kvm|smccc)\\.[a-z0-9-]+)` \\| (\\w+) \\|.*\\| ([^|]+?) \\|$", Pattern.MULTILINE);

    private static String section() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "RULES.md"));
        return doc.substring(doc.indexOf("## KVM model"));
    }

    @Test
    void pluginRulesAreTheDocumentedOnesWithTheirSeverityAndWhatTheyRestOn() throws IOException {
        Map<String, Severity> severity = new TreeMap<>();
        Map<String, Set<Dependency>> restsOn = new TreeMap<>();
        Matcher m = ROW.matcher(section());
        while (m.find()) {
            severity.put(m.group(1), Severity.valueOf(m.group(2).toUpperCase(Locale.ROOT)));
            Set<Dependency> d = EnumSet.noneOf(Dependency.class);
            for (String part : m.group(3).split(",")) {
                if (!part.isBlank() && !part.trim().equals("—")) {
                    d.add(Dependency.valueOf(part.trim().toUpperCase(Locale.ROOT).replace(' ', '_')));
                }
            }
            restsOn.put(m.group(1), d);
        }

        var rules = new KvmHypervisor().rules();

        assertThat(rules.stream().collect(Collectors.toMap(RuleDescriptor::id, RuleDescriptor::defaultSeverity)))
                .isEqualTo(severity);
        assertThat(rules.stream().collect(Collectors.toMap(RuleDescriptor::id, RuleDescriptor::restsOn)))
                .isEqualTo(restsOn);
        assertThat(rules).allSatisfy(r -> assertThat(r.description()).as(r.id()).isNotBlank());
    }

    @Test
    void findingsCarryTheirRulesCatalogueEntry() {
        for (Rules rule : Rules.values()) {
            var f = Findings.of(rule, "example", "register", "x1");
            assertThat(f.ruleId()).isEqualTo(rule.id());
            assertThat(f.severity()).isEqualTo(rule.defaultSeverity());
            assertThat(f.dependsOn()).isEqualTo(rule.restsOn());
        }
    }
}
