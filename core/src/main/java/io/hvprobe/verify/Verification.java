package io.hvprobe.verify;

import io.hvprobe.api.RunResult;
import io.hvprobe.run.LocatedFinding;

import java.util.List;

/**
 * The verdict for one function call.
 *
 * @param run      the baseline run (hypervisor writes exactly its documented outputs)
 * @param findings the model's and the verifier's findings, suppressions applied, sorted
 * @param unconfirmed findings the binary alone cannot prove: a register the hypervisor writes is read after
 *                 the trap, which is also how a declared output is consumed. They become findings when an
 *                 expectation about the call fails (manifest scenario, API assertion), as the likely cause
 * @param cost     what the call cost
 * @param notes    limits hit during analysis (e.g. path truncated), one line each
 */
public record Verification(RunResult run, List<LocatedFinding> findings, List<LocatedFinding> unconfirmed, Cost cost,
                           List<String> notes) {
    /**
     * Sorts and de-duplicates the findings and copies the notes.
     *
     * @param run         the baseline run
     * @param findings    the findings, in any order, duplicates allowed
     * @param unconfirmed the unconfirmed findings, in any order, duplicates allowed
     * @param cost        what the call cost
     * @param notes       limits hit during analysis (copied)
     */
    public Verification {
        findings = findings.stream().sorted().distinct().toList();
        unconfirmed = unconfirmed.stream().sorted().distinct().toList();
        notes = List.copyOf(notes);
    }
}
