package io.hvprobe.verify;

import io.hvprobe.run.LocatedFinding;

import java.util.List;

/**
 * One verifier rule checked on the recorded path of the baseline run (the differential reruns are
 * {@link DifferentialRuns}). The {@link Verifier} runs a list of them; a new rule is a new class in that list.
 */
interface PathRule {

    /** The findings of this rule on {@code path}. */
    List<LocatedFinding> check(PathQueries path);

    /** Limits this rule hit in its last {@link #check}, one line each (empty when it was complete). */
    default List<String> notes() {
        return List.of();
    }
}
