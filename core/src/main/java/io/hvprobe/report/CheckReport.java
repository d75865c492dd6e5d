package io.hvprobe.report;

import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a report prints: the per-function results of a check and the rules that may appear.
 *
 * @param toolVersion hvprobe's version
 * @param results     one entry per function and profile, in a deterministic order
 * @param rules       descriptions of the rules findings may carry (for SARIF metadata)
 */
public record CheckReport(String toolVersion, List<FunctionResult> results, List<RuleDescriptor> rules) {

    private static final Comparator<FunctionResult> ORDER = Comparator.comparing(FunctionResult::object)
            .thenComparing(FunctionResult::variant).thenComparing(FunctionResult::function)
            .thenComparing(FunctionResult::profile);

    public CheckReport {
        results = results.stream().sorted(ORDER).toList();
        rules = rules.stream().sorted(Comparator.comparing(RuleDescriptor::id)).toList();
    }

    /** All findings, sorted. */
    public List<LocatedFinding> findings() {
        return results.stream().flatMap(r -> r.findings().stream()).sorted().toList();
    }

    /** Number of findings per rule id, sorted by id. */
    public Map<String, Long> countsByRule() {
        Map<String, Long> counts = new TreeMap<>();
        findings().forEach(f -> counts.merge(f.finding().ruleId(), 1L, Long::sum));
        return counts;
    }

    /** The most severe finding's severity, or empty when there are none. */
    public java.util.Optional<Severity> worst() {
        return findings().stream().map(f -> f.finding().severity()).max(Comparator.naturalOrder());
    }
}
