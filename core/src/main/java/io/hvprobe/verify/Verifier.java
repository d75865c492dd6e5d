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
     * Turns unconfirmed evidence into findings when an expectation about the call fails: for each
     * {@link Verification#unconfirmed()} candidate, the call runs again with the hypervisor leaving that one
     * register as it was (as the compiled code assumed). If the expectation then holds, the code relied on
     * the register surviving the trap: the candidate is confirmed.
     *
     * @param expectation what the caller expects of a correct run (e.g. the manifest's return value)
     * @return the confirmed findings (empty if the expectation holds already or no candidate explains it)
     */
    public List<LocatedFinding> confirm(Probe probe, GuestCall call, Verification verification,
                                        Predicate<RunResult> expectation) throws UnknownFunctionException {
        if (expectation.test(verification.run())) {
            return List.of();
        }
        List<LocatedFinding> confirmed = new ArrayList<>();
        TrapInterceptor interceptor = probe.interceptor();
        TrapInterceptor.WriteAdjuster previous = interceptor.writeAdjuster();
        try {
            for (LocatedFinding candidate : verification.unconfirmed()) {
                long sequence = Long.parseLong(candidate.finding().evidence().get("hypercall"));
                GuestRegister register = GuestRegister.parse(probe.machine().arch(),
                        candidate.finding().evidence().get("register"));
                interceptor.setWriteAdjuster((event, outcome, writes) -> event.sequence() != sequence ? writes
                        : writes.stream().filter((RegisterWrite w) -> w.register() != register).toList());
                if (expectation.test(probe.run(call))) {
                    confirmed.add(candidate);
                }
            }
        } finally {
            interceptor.setWriteAdjuster(previous);
        }
        return confirmed;
    }
}
