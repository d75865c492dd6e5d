package io.hvprobe.api;

import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.KernelEvent;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.HypercallRecords;
import io.hvprobe.run.LocatedFinding;

import java.util.List;

/**
 * One function run: how the call ended, every hypercall it made, and what was found.
 *
 * @param function       the function called
 * @param call           how the call ended (return value or fault, stub calls, buffers)
 * @param hypercalls     the hypercall log (at most the log's capacity of records)
 * @param hypercallCount how many hypercalls happened
 * @param findings       findings from the hypervisor model and the run, sorted
 * @param events         the run's kernel log: log lines, WARNs, device I/O no plugin claimed, heap misuse
 */
public record RunResult(String function, CallResult call, List<HypercallRecord> hypercalls, long hypercallCount,
                        List<LocatedFinding> findings, List<KernelEvent> events) {
    /**
     * Rule of the note a run gets when the wall-clock guard ended it: the run is inconclusive and says nothing
     * about the guest.
     */
    public static final String INCONCLUSIVE_RULE = io.hvprobe.run.CoreRule.INCONCLUSIVE.id();

    public RunResult {
        // The log's own list is immutable and compact; a copy would build every record as an object.
        hypercalls = hypercalls instanceof HypercallRecords compact ? compact : List.copyOf(hypercalls);
        findings = findings.stream().sorted().toList();
        events = List.copyOf(events);
    }

    /** A run without kernel events. */
    public RunResult(String function, CallResult call, List<HypercallRecord> hypercalls, long hypercallCount,
                     List<LocatedFinding> findings) {
        this(function, call, hypercalls, hypercallCount, findings, List.of());
    }

    /** Whether the function returned normally. */
    public boolean returned() {
        return call instanceof CallResult.Returned;
    }

    /** The raw return register; throws if the call faulted. */
    public long returnValue() {
        if (call instanceof CallResult.Returned r) {
            return r.value();
        }
        throw new IllegalStateException(function + " did not return: "
                + ((CallResult.Faulted) call).fault().describe());
    }

    /**
     * Whether the wall-clock guard ended the run before the guest returned, faulted or used up its instruction
     * budget: then nothing about the run is a verdict (where the clock stopped it depends on the machine's load).
     */
    public boolean inconclusive() {
        return call instanceof CallResult.Faulted f && f.fault().kind() == io.hvprobe.guest.Fault.Kind.TIMEOUT;
    }

    /** Findings with this rule id. */
    public List<LocatedFinding> findings(String ruleId) {
        return findings.stream().filter(f -> f.finding().ruleId().equals(ruleId)).toList();
    }
}
