package io.hvprobe.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hvprobe.api.RunResult;
import io.hvprobe.verify.Cost;

/**
 * The JSON fields that say where a report holds less than the run did, so a reader never mistakes a cut list or
 * a capped count for the whole: the hypercall log keeps at most {@code HypercallLog.DEFAULT_CAPACITY} records,
 * and the verifier records at most {@code VerifyOptions.maxPathLength} instructions of the path.
 */
final class Truncation {
    private Truncation() {
    }

    /**
     * Adds {@code hypercallsKept} (how many records {@code hypercalls[]} holds) and {@code hypercallsTruncated}
     * (whether the run made more hypercalls than that) to {@code n}.
     */
    static ObjectNode hypercalls(ObjectNode n, RunResult run) {
        return n.put("hypercallsKept", run.hypercalls().size())
                .put("hypercallsTruncated", run.hypercallCount() > run.hypercalls().size());
    }

    /**
     * {@code cost} as JSON: {@code instructions} counts every instruction executed; {@code analysedInstructions}
     * says how many of them (from the start) the memory, stack and register figures cover, and {@code complete}
     * whether that is all of them.
     */
    static ObjectNode cost(ObjectNode n, Cost c) {
        return n.put("instructions", c.instructions()).put("analysedInstructions", c.analysedInstructions())
                .put("complete", c.complete()).put("memoryReads", c.memoryReads())
                .put("memoryWrites", c.memoryWrites()).put("stackBytes", c.stackBytes())
                .put("registersSaved", c.registersSaved()).put("hypercalls", c.hypercalls());
    }
}
