package io.hvprobe.manifest;

import io.hvprobe.run.FindingSite;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.verify.Verification;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of running one {@link Scenario}.
 *
 * @param scenario     what was run
 * @param verification the verifier's verdict (absent when the function could not be called)
 * @param mismatches   every difference from the scenario, one line each (missing and unexpected findings too)
 * @param findings     the run's errors and warnings (notes dropped, except those saying a limit ended the analysis:
 *                     work budget, wall-clock guard), unconfirmed ones included when promoted; when the wall-clock
 *                     guard ended the first run, only its note and no expectation is checked
 * @param promoted     unconfirmed findings that became findings because an expectation about the call failed
 * @param found        expected findings that were found
 * @param missing      expected findings that were not found
 * @param unexpected   errors/warnings no expectation accounts for
 */
public record ScenarioResult(Scenario scenario, Optional<Verification> verification, List<Mismatch> mismatches,
                             List<LocatedFinding> findings, List<LocatedFinding> promoted,
                             List<FindingExpectation> found, List<FindingExpectation> missing,
                             List<LocatedFinding> unexpected) {
    /** The rule id of a failed expectation in reports. */
    public static final String EXPECTATION_RULE = io.hvprobe.run.CoreRule.EXPECTATION.id();

    public ScenarioResult {
        mismatches = List.copyOf(mismatches);
        findings = List.copyOf(findings);
        promoted = List.copyOf(promoted);
        found = List.copyOf(found);
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
    }

    /** Whether the run matched the scenario in every respect. */
    public boolean passed() {
        return mismatches.isEmpty();
    }

    /**
     * The mismatches as {@link #EXPECTATION_RULE} error findings, located at the scenario's function, so a
     * report writer can list them in any format.
     */
    public List<LocatedFinding> asFindings() {
        MatrixObject o = scenario.object();
        FindingSite site = new FindingSite(o.path().toString(), scenario.entry().name(), 0,
                o.arch().equals("arm64") ? io.hvprobe.arch.Arch.ARM64 : io.hvprobe.arch.Arch.X86_64,
                o.cell() + "/" + o.variant(), scenario.profile());
        return mismatches.stream().map(m -> new LocatedFinding(io.hvprobe.run.CoreRule.EXPECTATION.finding(
                m.toString(), Map.of("what", m.what(), "expected", m.expected(), "observed", m.observed(),
                "where", m.where())), site)).toList();
    }
}
