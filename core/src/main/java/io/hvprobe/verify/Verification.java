package io.hvprobe.verify;

import io.hvprobe.api.RunResult;
import io.hvprobe.run.LocatedFinding;

import java.util.List;

/**
 * The verdict for one function call.
 *
 * @param run      the baseline run (hypervisor writes exactly its documented outputs)
 * @param findings the model's and the verifier's findings, suppressions applied, sorted
 * @param cost     what the call cost
 * @param notes    limits hit during analysis (e.g. path truncated), one line each
 */
public record Verification(RunResult run, List<LocatedFinding> findings, Cost cost, List<String> notes) {
    public Verification {
        findings = findings.stream().sorted().distinct().toList();
        notes = List.copyOf(notes);
    }
}
