package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.run.LocatedFinding;

import java.util.ArrayList;
import java.util.List;

/**
 * Register-semantics verification of one function call: runs it against the hypervisor model and
 * checks what the compiled code assumes about the registers around every trap.
 */
public final class Verifier {
    private final VerifyOptions options;

    /** A verifier with {@code options}. */
    public Verifier(VerifyOptions options) {
        this.options = options;
    }

    /** The options. */
    public VerifyOptions options() {
        return options;
    }

    /**
     * Verifies {@code call} on {@code probe}.
     *
     * @throws UnknownFunctionException if the function is not defined
     */
    public Verification verify(Probe probe, GuestCall call) throws UnknownFunctionException {
        PathRecorder recorder = PathRecorder.attach(probe, options.maxPathLength());
        RunResult base;
        ExecutionPath path;
        try {
            base = probe.run(call);
        } finally {
            path = recorder.detach();
        }
        List<LocatedFinding> findings = new ArrayList<>(base.findings());
        List<String> notes = new ArrayList<>();
        if (path.truncated()) {
            notes.add("path analysis limited to the first " + options.maxPathLength() + " instructions");
        }
        Analysis analysis = new Analysis(probe, path, base);
        findings.addAll(analysis.returnChecks());
        Analysis.LiveAcross live = analysis.liveAcross();
        findings.addAll(live.confirmed());
        findings.addAll(analysis.flagsAcross());
        findings.addAll(analysis.truncatedInputs());
        findings.addAll(analysis.redundantSaves());
        if (options.poisonRuns() > 0 && base.returned()) {
            findings.addAll(new DifferentialRuns(probe, call, base, path, options).findings());
        }
        List<LocatedFinding> kept = findings.stream()
                .filter(f -> !options.isSuppressed(f.finding().ruleId(), f.site().function())).toList();
        List<LocatedFinding> unconfirmed = live.unconfirmed().stream()
                .filter(f -> !options.isSuppressed(f.finding().ruleId(), f.site().function())).toList();
        return new Verification(base, kept, unconfirmed, analysis.cost(), notes);
    }
}
