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

    /**
     * Sorts the findings and copies the lists (the compact {@code HypercallRecords} list is kept as it is).
     *
     * @param function       the function called
     * @param call           how the call ended
     * @param hypercalls     the hypercall log
     * @param hypercallCount how many hypercalls happened, kept and dropped records
     * @param findings       findings, in any order
     * @param events         the run's kernel log (copied)
     */
    public RunResult {
        // The log's own list is immutable and compact; a copy would build every record as an object.
        hypercalls = hypercalls instanceof HypercallRecords compact ? compact : List.copyOf(hypercalls);
        findings = findings.stream().sorted().toList();
        events = List.copyOf(events);
    }

    /**
     * A run without kernel events.
     *
     * @param function       the function called
     * @param call           how the call ended
     * @param hypercalls     the hypercall log
     * @param hypercallCount how many hypercalls happened
     * @param findings       findings, in any order
     */
    public RunResult(String function, CallResult call, List<HypercallRecord> hypercalls, long hypercallCount,
                     List<LocatedFinding> findings) {
        this(function, call, hypercalls, hypercallCount, findings, List.of());
    }

    /** {@return whether the function returned normally} */
    public boolean returned() {
        return call instanceof CallResult.Returned;
    }

    /**
     * The raw return register; throws if the call faulted.
     *
     * @return the full 64-bit return register (RAX or X0)
     * @throws IllegalStateException if the call did not return
     */
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
     *
     * @return whether the run is inconclusive (it then carries an {@link #INCONCLUSIVE_RULE} note)
     */
    public boolean inconclusive() {
        return call instanceof CallResult.Faulted f && f.fault().kind() == io.hvprobe.guest.Fault.Kind.TIMEOUT;
    }

    /**
     * One readable paragraph: how the call ended, the hypercalls it made (commands in order, the first
     * {@value #SHOWN_HYPERCALLS}) and its findings, e.g. {@code hv_detect returned 0x6 after 2 hypercalls
     * (GETVERSION, GETVERSION); no findings}.
     */
    @Override
    public String toString() {
        String ended = switch (call) {
            case CallResult.Returned r -> "returned 0x" + Long.toHexString(r.value());
            case CallResult.Faulted f -> "did not return (" + f.fault().describe() + ")";
        };
        StringBuilder b = new StringBuilder(function).append(' ').append(ended).append(" after ")
                .append(hypercallCount).append(hypercallCount == 1 ? " hypercall" : " hypercalls");
        if (!hypercalls.isEmpty()) {
            b.append(" (").append(String.join(", ", hypercalls.stream().limit(SHOWN_HYPERCALLS)
                    .map(HypercallRecord::command).toList()));
            b.append(hypercallCount > SHOWN_HYPERCALLS ? ", ...)" : ")");
        }
        return b.append("; ").append(io.hvprobe.run.FindingText.of(findings)).toString();
    }

    /** Most hypercall commands {@link #toString()} names. */
    public static final int SHOWN_HYPERCALLS = 16;

    /**
     * Findings with this rule id.
     *
     * @param ruleId a rule id
     * @return those findings, sorted; empty when there are none
     */
    public List<LocatedFinding> findings(String ruleId) {
        return findings.stream().filter(f -> f.finding().ruleId().equals(ruleId)).toList();
    }
}
