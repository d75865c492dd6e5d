package io.hvprobe.report;

import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Everything a report prints: the per-function results of a check, the rules that may appear, and the settings
 * that decide which findings are reported and which fail the check.
 *
 * @param toolVersion hvprobe's version
 * @param results     one entry per function and profile, in a deterministic order (with all their findings,
 *                    also those the settings leave out)
 * @param rules       descriptions of the rules findings may carry (for SARIF metadata)
 * @param settings    fail-on level, minimum severity, baseline, source root
 * @param coverage    per checked object, its trap sites and whether and how the check reached them (empty when
 *                    the check did not measure coverage, e.g. a manifest check)
 */
public record CheckReport(String toolVersion, List<FunctionResult> results, List<RuleDescriptor> rules,
                          ReportSettings settings, List<ObjectCoverage> coverage) {

    private static final Comparator<FunctionResult> ORDER = Comparator.comparing(FunctionResult::object)
            .thenComparing(FunctionResult::variant).thenComparing(FunctionResult::function)
            .thenComparing(FunctionResult::profile);

    /**
     * Sorts the results by object, variant, function and profile, the rules by id and the coverage by object, variant
     * and profile, so reports are deterministic whatever order the check finished in.
     *
     * @param toolVersion hvprobe's version
     * @param results     one entry per function and profile, in any order
     * @param rules       descriptions of the rules findings may carry, in any order
     * @param settings    fail-on level, minimum severity, baseline, source root
     * @param coverage    per checked object, its trap sites, in any order; empty when not measured
     */
    public CheckReport {
        results = results.stream().sorted(ORDER).toList();
        rules = rules.stream().sorted(Comparator.comparing(RuleDescriptor::id)).toList();
        coverage = coverage.stream().sorted(Comparator.comparing(ObjectCoverage::object)
                .thenComparing(ObjectCoverage::variant).thenComparing(ObjectCoverage::profile)).toList();
    }

    /**
     * A report without coverage.
     *
     * @param toolVersion hvprobe's version
     * @param results     one entry per function and profile, in any order
     * @param rules       descriptions of the rules findings may carry, in any order
     * @param settings    fail-on level, minimum severity, baseline, source root
     */
    public CheckReport(String toolVersion, List<FunctionResult> results, List<RuleDescriptor> rules,
                       ReportSettings settings) {
        this(toolVersion, results, rules, settings, List.of());
    }

    /**
     * A report with the default settings.
     *
     * @param toolVersion hvprobe's version
     * @param results     one entry per function and profile, in any order
     * @param rules       descriptions of the rules findings may carry, in any order
     */
    public CheckReport(String toolVersion, List<FunctionResult> results, List<RuleDescriptor> rules) {
        this(toolVersion, results, rules, ReportSettings.defaults());
    }

    /**
     * This report under other settings.
     *
     * @param settings the settings that replace this report's
     * @return a copy with {@code settings}; this report is unchanged
     */
    public CheckReport with(ReportSettings settings) {
        return new CheckReport(toolVersion, results, rules, settings, coverage);
    }

    /**
     * This report with {@code coverage}.
     *
     * @param coverage per checked object, its trap sites, in any order
     * @return a copy with {@code coverage}; this report is unchanged
     */
    public CheckReport withCoverage(List<ObjectCoverage> coverage) {
        return new CheckReport(toolVersion, results, rules, settings, coverage);
    }

    /**
     * The reported findings, sorted: one per finding and site with all the profiles that produced it, without
     * those below the minimum severity or in the baseline. Fingerprints are computed over all findings first, so
     * a baseline does not renumber the rest.
     *
     * @return the reported findings, computed on each call
     */
    public List<ReportedFinding> reported() {
        Map<LocatedFinding, Set<String>> profiles = new LinkedHashMap<>();
        for (LocatedFinding f : allFindings()) {
            profiles.computeIfAbsent(new LocatedFinding(f.finding(), f.site().withProfile("")),
                    k -> new TreeSet<>()).add(f.site().profile());
        }
        Fingerprints fingerprints = new Fingerprints();
        List<ReportedFinding> out = new ArrayList<>();
        for (var e : profiles.entrySet()) {
            LocatedFinding f = e.getKey();
            String fingerprint = fingerprints.next(f, settings.relative(f.site().object()));
            List<String> ps = List.copyOf(e.getValue());
            if (f.finding().severity().compareTo(settings.minSeverity()) >= 0
                    && !settings.baseline().contains(fingerprint)) {
                out.add(new ReportedFinding(f.finding(), f.site().withProfile(ps.getFirst()), ps, fingerprint));
            }
        }
        return List.copyOf(out);
    }

    /**
     * The reported findings of one function run ({@code r} must be one of {@link #results()}).
     *
     * @param r one of {@link #results()}
     * @return its findings that the settings report, sorted
     */
    public List<LocatedFinding> reported(FunctionResult r) {
        return r.findings().stream().filter(reportedFilter()).toList();
    }

    /**
     * Which findings of {@link #results()} are reported: {@link #reported(FunctionResult)} for many results, with the
     * reported set computed once (per result, a report of many functions cost time quadratic in their number).
     *
     * @return true for a finding of one of {@link #results()} that the settings report
     */
    public java.util.function.Predicate<LocatedFinding> reportedFilter() {
        Set<LocatedFinding> kept = reportedKeys();
        return f -> kept.contains(key(f));
    }

    /**
     * {@return all reported findings per function run and profile, sorted (a finding under two profiles counts twice)}
     */
    public List<LocatedFinding> findings() {
        Set<LocatedFinding> kept = reportedKeys();
        return allFindings().stream().filter(f -> kept.contains(key(f))).toList();
    }

    /** {@return the number of reported findings per rule id, sorted by id; rules with none are absent} */
    public Map<String, Long> countsByRule() {
        Map<String, Long> counts = new TreeMap<>();
        reported().forEach(f -> counts.merge(f.finding().ruleId(), 1L, Long::sum));
        return counts;
    }

    /** {@return the most severe reported finding's severity, or empty when there are none} */
    public Optional<Severity> worst() {
        return reported().stream().map(f -> f.finding().severity()).max(Comparator.naturalOrder());
    }

    /** {@return whether the reported findings fail the check under {@link ReportSettings#failOn()}} */
    public boolean fails() {
        return settings.failOn().fails(worst());
    }

    /**
     * Whether {@code r}'s reported findings fail under {@link ReportSettings#failOn()} (a JUnit failure).
     *
     * @param r one of {@link #results()}
     * @return whether its reported findings fail the check
     */
    public boolean fails(FunctionResult r) {
        return fails(r, reportedFilter());
    }

    /**
     * {@link #fails(FunctionResult)} for many results, with the set of reported findings computed once.
     *
     * @param r        one of {@link #results()}
     * @param reported this report's {@link #reportedFilter()}
     * @return whether its reported findings fail the check
     */
    public boolean fails(FunctionResult r, java.util.function.Predicate<LocatedFinding> reported) {
        return settings.failOn().fails(r.findings().stream().filter(reported).map(f -> f.finding().severity())
                .max(Comparator.naturalOrder()));
    }

    private List<LocatedFinding> allFindings() {
        return results.stream().flatMap(r -> r.findings().stream()).sorted().toList();
    }

    private Set<LocatedFinding> reportedKeys() {
        return reported().stream().map(f -> new LocatedFinding(f.finding(), f.site().withProfile("")))
                .collect(Collectors.toSet());
    }

    private static LocatedFinding key(LocatedFinding f) {
        return new LocatedFinding(f.finding(), f.site().withProfile(""));
    }
}
