package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.trap.TrapInterceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Register-semantics verification of one function call: runs it against the hypervisor model and
 * checks what the compiled code assumes about the registers around every trap.
 */
public final class Verifier {
    /**
     * Most reruns {@link #explain} makes (one per candidate, in trap order): a guest with thousands of traps
     * must not turn one failed expectation into thousands of runs.
     */
    public static final int MAX_EXPLAIN_RUNS = 256;

    private final VerifyOptions options;
    /** What the path recorder reads after each instruction (a test gives wrong sets on purpose). */
    private final Function<DecodedInstructions, WriteSets> writeSets;

    /**
     * A verifier with {@code options}.
     *
     * @param options how thoroughly to check; a verifier keeps no other state, so one may verify many calls in turn
     */
    public Verifier(VerifyOptions options) {
        this(options, decoded -> decoded);
    }

    /** A verifier whose path recorder trusts {@code writeSets} between full reads. */
    Verifier(VerifyOptions options, Function<DecodedInstructions, WriteSets> writeSets) {
        this.options = options;
        this.writeSets = writeSets;
    }

    /** {@return the options this verifier was made with} */
    public VerifyOptions options() {
        return options;
    }

    /**
     * Verifies {@code call} on {@code probe}, its arguments and starting state as given ({@link Grounds#given()}).
     *
     * @param probe the probe holding the loaded object; each run starts from the probe's start session
     * @param call  the function and its arguments
     * @return the verdict: the baseline run, findings, unconfirmed findings and cost
     * @throws UnknownFunctionException if the function is not defined
     */
    public Verification verify(Probe probe, GuestCall call) throws UnknownFunctionException {
        return verify(probe, call, Grounds.given());
    }

    /**
     * Verifies {@code call} on {@code probe}; a finding that rests on something {@code grounds} says was invented
     * is reported as a note that says so.
     *
     * @param probe  the probe holding the loaded object; each run starts from the probe's start session
     * @param call   the function and its arguments
     * @param grounds what of the inputs and starting state is invented
     * @return the verdict: the baseline run, findings, unconfirmed findings and cost
     * @throws UnknownFunctionException if the function is not defined
     */
    public Verification verify(Probe probe, GuestCall call, Grounds grounds) throws UnknownFunctionException {
        DecodedInstructions decoded = new DecodedInstructions(probe.machine());
        PathRecorder recorder = PathRecorder.attach(probe, options.maxPathLength(), options.poisonRuns() > 0,
                new PathRecorder.Reads.Deltas(writeSets.apply(decoded)));
        WorkMeter work = new WorkMeter(options.workBudget());
        RunResult base;
        ExecutionPath path;
        try {
            base = work.first(probe, call);
        } finally {
            path = recorder.detach();
        }
        if (!recorder.exact()) {
            // The write sets missed a register: the run again, every register read at every step (the run is
            // deterministic, so this is the path the first one took), charged as the only first run.
            recorder.restart().ifPresent(Restart::close);
            recorder = PathRecorder.attach(probe, options.maxPathLength(), options.poisonRuns() > 0,
                    PathRecorder.Reads.EVERY_STEP);
            work = new WorkMeter(options.workBudget());
            try {
                base = work.first(probe, call);
            } finally {
                path = recorder.detach();
            }
        }
        try (Restart restart = recorder.restart().orElse(null)) {
            return verify(probe, call, grounds, base, path, decoded, recorder, Optional.ofNullable(restart), work);
        }
    }

    private Verification verify(Probe probe, GuestCall call, Grounds grounds, RunResult base, ExecutionPath path,
                                DecodedInstructions decoded, PathRecorder recorder, Optional<Restart> restart,
                                WorkMeter work)
            throws UnknownFunctionException {
        List<String> notes = new ArrayList<>();
        PathQueries queries = new PathQueries(probe, path, base, decoded);
        if (base.inconclusive()) {
            // Where the clock stopped the run depends on the machine's load: nothing seen on it is a verdict.
            notes.add("inconclusive: " + base.findings(RunResult.INCONCLUSIVE_RULE).getFirst().finding().message());
            return new Verification(base, base.findings(RunResult.INCONCLUSIVE_RULE).stream()
                    .map(f -> withCall(f, call)).toList(), List.of(), PathCost.measure(queries), notes);
        }
        if (path.truncated()) {
            notes.add("path analysis limited to the first " + options.maxPathLength() + " instructions");
        }
        List<LocatedFinding> findings = new ArrayList<>(grounded(probe, path, queries, base, grounds));
        if (work.firstRunCut()) {
            // The budget, not the guest, ended the run: that is the note below, not a fault of the code.
            findings.removeIf(f -> f.finding().ruleId().equals(CoreRule.BUDGET.id()));
            WorkMeter.Stopped s = work.firstRunNote();
            findings.add(limitNote(probe, call, s));
            notes.add(s.getMessage());
        }
        // clobber.may-change is proven only once the reruns did not show the read dead; clobber.written needs a
        // failed expectation (Verification.unconfirmed).
        List<LocatedFinding> mayChange = new ArrayList<>();
        List<LocatedFinding> unconfirmedWritten = new ArrayList<>();
        for (PathRule rule : pathRules()) {
            for (LocatedFinding f : rule.check(queries)) {
                String id = f.finding().ruleId();
                if (id.equals(CoreRule.CLOBBER_MAY_CHANGE.id())) {
                    mayChange.add(f);
                } else if (id.equals(CoreRule.CLOBBER_WRITTEN.id())) {
                    unconfirmedWritten.add(f);
                } else {
                    findings.add(f);
                }
            }
            notes.addAll(rule.notes());
        }
        // Poison is applied at hypercalls only, and a rerun starts from the baseline's inputs and state: without a
        // hypercall in the baseline every rerun repeats it exactly, so none can change the answer.
        if (options.poisonRuns() > 0 && base.returned() && base.hypercallCount() > 0) {
            DifferentialRuns diff = new DifferentialRuns(probe, call, base, path, recorder.observedWrites(), restart,
                    queries, options, work);
            findings.addAll(diff.findings());
            notes.addAll(diff.notes());
            diff.stopped().ifPresent(s -> {
                findings.add(limitNote(probe, call, s));
                notes.add(s.getMessage());
            });
            // A may-change register read after the trap whose poisoning provably changed nothing is a dead
            // read (e.g. -O0 storing a declared output nobody uses), not reliance on the value.
            mayChange = mayChange.stream().filter(f -> !diff.provenHarmless(trapPc(probe, f),
                    GuestRegister.parse(probe.machine().arch(), f.finding().evidence().get("register")))).toList();
        }
        findings.addAll(mayChange);
        List<LocatedFinding> kept = findings.stream().filter(f -> !suppressed(f, call))
                .map(f -> withCall(f, call)).map(f -> grounds.forcedPath() ? Grounding.onForcedPath(f) : f).toList();
        List<LocatedFinding> unconfirmed = unconfirmedWritten.stream().filter(f -> !suppressed(f, call))
                .map(f -> withCall(f, call)).toList();
        return new Verification(base, kept, unconfirmed, PathCost.measure(queries), notes);
    }

    /**
     * The rules checked on the baseline path, in report order; a new rule is one more entry. Fresh instances per
     * call: a rule may keep what limits it hit ({@link PathRule#notes()}).
     */
    private static List<PathRule> pathRules() {
        return List.of(new CalleeSavedRule(), new StackBalanceRule(), new LiveAcrossRule(), new FlagsAcrossRule(),
                new StaleMemoryRule(), new TruncatedInputRule(), new RedundantSaveRule());
    }

    /** The run's own findings (the model's, a fault) as {@code grounds} lets this run report them. */
    private static List<LocatedFinding> grounded(Probe probe, ExecutionPath path, PathQueries analysis,
                                                 RunResult base, Grounds grounds) {
        if (base.findings().isEmpty() || !grounds.inventedInputs() && !grounds.inventedPriorState()) {
            // Nothing to judge: the pass over the path that tells invented values apart would be wasted.
            return base.findings();
        }
        // The pass over the path that tells invented values apart runs only when a finding names a register to ask
        // about (a fault or a budget stop never does, and a long looping path made it the cost of such a run).
        InventedValues[] invented = new InventedValues[1];
        Grounding g = new Grounding(grounds, probe.machine().arch(), !grounds.inventedInputs() ? (pc, r) -> false
                : (pc, r) -> {
                    if (invented[0] == null) {
                        invented[0] = InventedValues.of(probe, path, analysis);
                    }
                    return invented[0].mayBeInvented(pc, r);
                });
        return base.findings().stream().map(f -> g.judge(f, trapPc(probe, f))).toList();
    }

    /** The note a function gets when a limit (work budget, wall-clock guard) ended its reruns, at its entry. */
    private static LocatedFinding limitNote(Probe probe, GuestCall call, WorkMeter.Stopped s) {
        long entry = probe.image().symbol(call.function()).map(sym -> sym.address()).orElse(0L);
        return new LocatedFinding(new io.hvprobe.spi.Finding(s.rule(), io.hvprobe.spi.Severity.NOTE, s.getMessage(),
                java.util.Map.of()), probe.siteOf(entry));
    }

    /** {@code RULE@F} suppresses a finding made in function F or during a call of F. */
    private boolean suppressed(LocatedFinding f, GuestCall call) {
        return options.isSuppressed(f.finding().ruleId(), f.site().function())
                || options.isSuppressed(f.finding().ruleId(), call.function());
    }

    /**
     * A finding located in another function than the one called (a helper the compiler did not inline, e.g. at
     * -O0) names the call in its evidence ({@code call}), so that a report line says which entry it came from.
     */
    private static LocatedFinding withCall(LocatedFinding f, GuestCall call) {
        if (f.site().function().equals(call.function()) || f.finding().evidence().containsKey("call")) {
            return f;
        }
        java.util.Map<String, String> ev = new java.util.TreeMap<>(f.finding().evidence());
        ev.put("call", call.function());
        return new LocatedFinding(f.finding().withEvidence(ev), f.site());
    }

    /**
     * Which unconfirmed findings explain a failed expectation. For each candidate the call runs again with the
     * hypervisor's write of that register suppressed at that trap (the register keeps the value the compiled
     * code assumed survives); the candidates whose suppression makes {@code expectationHolds} true are the
     * cause. When no single one does, the candidates of one register are suppressed together (a value kept
     * across several traps is lost at each of them). When that does not either, the register is kept at every
     * trap site: a wrapper that wrongly assumes a register survives is usually inlined at several sites (and runs in
     * loops), and a path that went wrong at the first of them never showed the others (iPXE-style code whose next
     * call goes out without the magic). A register the code rightly takes as an output breaks the result when it is
     * never written, so this confirms only a register the code relies on keeping. At most {@link #MAX_EXPLAIN_RUNS} reruns are made. A
     * declared output that is merely consumed is not returned: suppressing it breaks the result instead of
     * repairing it.
     *
     * @param probe the probe {@code unconfirmed} was found on
     * @param call  the call that was verified
     * @param unconfirmed candidates from {@link Verification#unconfirmed()} of the same call
     * @param expectationHolds the expectation that failed, e.g. "returns 0x123a"
     * @return the findings whose suppression makes the expectation hold, grouped by register; empty when none does
     *         within the rerun limit
     * @throws UnknownFunctionException if the function is not defined
     */
    public List<LocatedFinding> explain(Probe probe, GuestCall call, List<LocatedFinding> unconfirmed,
                                        Predicate<RunResult> expectationHolds) throws UnknownFunctionException {
        List<LocatedFinding> out = new ArrayList<>();
        java.util.Map<GuestRegister, List<LocatedFinding>> byRegister = new java.util.LinkedHashMap<>();
        for (LocatedFinding f : unconfirmed) {
            String reg = f.finding().evidence().get("register");
            if (reg != null) {
                byRegister.computeIfAbsent(GuestRegister.parse(probe.machine().arch(), reg), k -> new ArrayList<>())
                        .add(f);
            }
        }
        int runs = 0;
        WorkMeter work = new WorkMeter(options.workBudget());
        try {
            for (var e : byRegister.entrySet()) {
                for (LocatedFinding f : e.getValue()) {
                    if (runs++ >= MAX_EXPLAIN_RUNS) {
                        return out;
                    }
                    if (expectationHolds.test(runSuppressed(probe, call, e.getKey(),
                            java.util.Set.of(trapPc(probe, f)), work))) {
                        out.add(f);
                    }
                }
            }
            if (out.isEmpty()) {
                for (var e : byRegister.entrySet()) {
                    java.util.Set<Long> pcs = new java.util.HashSet<>();
                    e.getValue().forEach(f -> pcs.add(trapPc(probe, f)));
                    if (e.getValue().size() > 1 && runs++ < MAX_EXPLAIN_RUNS
                            && expectationHolds.test(runSuppressed(probe, call, e.getKey(), pcs, work))) {
                        out.addAll(e.getValue());
                    }
                }
            }
            if (out.isEmpty()) {
                java.util.Set<Long> everySite = new java.util.HashSet<>();
                probe.sites().forEach(s -> everySite.add(s.address()));
                for (var e : byRegister.entrySet()) {
                    if (runs++ < MAX_EXPLAIN_RUNS
                            && expectationHolds.test(runSuppressed(probe, call, e.getKey(), everySite, work))) {
                        out.addAll(e.getValue());
                    }
                }
            }
        } catch (WorkMeter.Stopped s) {
            // Out of work or ended by the clock: the candidates not tried stay unconfirmed.
        }
        return out;
    }

    private static long trapPc(Probe probe, LocatedFinding f) {
        return f.site().function().isEmpty() ? f.site().offset()
                : probe.image().symbol(f.site().function()).map(sym -> sym.address()).orElse(0L) + f.site().offset();
    }

    private static RunResult runSuppressed(Probe probe, GuestCall call, GuestRegister r, java.util.Set<Long> pcs,
                                           WorkMeter work) throws WorkMeter.Stopped {
        TrapInterceptor interceptor = probe.interceptor();
        TrapInterceptor.WriteAdjuster previous = interceptor.writeAdjuster();
        interceptor.setWriteAdjuster((event, outcome, writes) -> !pcs.contains(event.pc()) ? writes
                : writes.stream().filter((RegisterWrite w) -> w.register() != r).toList());
        try {
            return work.rerun(probe, call);
        } catch (UnknownFunctionException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } finally {
            interceptor.setWriteAdjuster(previous);
        }
    }
}
