package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.run.LocatedFinding;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.trap.TrapInterceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

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

    /**
     * Which unconfirmed findings explain a failed expectation. For each candidate the call runs again with the
     * hypervisor's write of that register suppressed at that trap (the register keeps the value the compiled
     * code assumed survives); the candidates whose suppression makes {@code expectationHolds} true are the
     * cause. A declared output that is merely consumed is not returned: suppressing it breaks the result
     * instead of repairing it.
     *
     * @param unconfirmed candidates from {@link Verification#unconfirmed()} of the same call
     * @param expectationHolds the expectation that failed, e.g. "returns 0x123a"
     * @throws UnknownFunctionException if the function is not defined
     */
    public List<LocatedFinding> explain(Probe probe, GuestCall call, List<LocatedFinding> unconfirmed,
                                        Predicate<RunResult> expectationHolds) throws UnknownFunctionException {
        List<LocatedFinding> out = new ArrayList<>();
        TrapInterceptor interceptor = probe.interceptor();
        for (LocatedFinding f : unconfirmed) {
            String reg = f.finding().evidence().get("register");
            if (reg == null) {
                continue;
            }
            GuestRegister r = GuestRegister.parse(probe.machine().arch(), reg);
            long trapPc = f.site().function().isEmpty() ? f.site().offset()
                    : probe.image().symbol(f.site().function()).map(sym -> sym.address()).orElse(0L) + f.site().offset();
            TrapInterceptor.WriteAdjuster previous = interceptor.writeAdjuster();
            interceptor.setWriteAdjuster((event, outcome, writes) -> event.pc() != trapPc ? writes
                    : writes.stream().filter((RegisterWrite w) -> w.register() != r).toList());
            RunResult repaired;
            try {
                repaired = probe.run(call);
            } finally {
                interceptor.setWriteAdjuster(previous);
            }
            if (expectationHolds.test(repaired)) {
                out.add(f);
            }
        }
        return out;
    }
}
