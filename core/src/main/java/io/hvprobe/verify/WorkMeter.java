package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.api.TrapPoint;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.trap.TrapInterceptor;

import java.util.Optional;

/**
 * The work budget of one verified function ({@link VerifyOptions#workBudget()}): every rerun gets at most what is
 * left, and is charged what it executed. Deterministic: it counts instructions and hypercalls, never time.
 */
final class WorkMeter {
    /** Why a rerun gave no usable observation: the analysis stops there, keeping what it proved. */
    static final class Stopped extends Exception {
        private final String rule;

        Stopped(String rule, String message) {
            super(message, null, false, false);
            this.rule = rule;
        }

        /** {@link VerifyOptions#WORK_BUDGET_RULE} or {@link RunResult#INCONCLUSIVE_RULE}. */
        String rule() {
            return rule;
        }
    }

    private static final String WORK_PREFIX = "work budget of ";

    private final long budget;
    private boolean firstRunCut;
    private long spent;
    /** What the first run cost: a rerun replays about the same path, so it needs about as much. */
    private long firstRun = -1;

    WorkMeter(long budget) {
        this.budget = budget;
    }

    /**
     * The first run, with the whole budget: at most that many instructions, and a gate ends it before the trap that
     * would take instructions plus hypercall work past the budget. Charged like every run.
     */
    RunResult first(Probe probe, GuestCall call) throws UnknownFunctionException {
        if (budget == 0) {
            RunResult r = probe.run(call);
            charge(probe, r);
            return r;
        }
        TrapInterceptor interceptor = probe.interceptor();
        TrapInterceptor.TrapGate previous = interceptor.gate();
        interceptor.setGate(handled -> probe.machine().instructionsExecuted()
                + VerifyOptions.HYPERCALL_WORK * (handled + 1) > budget
                ? Optional.of(firstRunMessage(handled)) : Optional.empty());
        RunResult r;
        try {
            r = probe.run(call, budget);
        } finally {
            interceptor.setGate(previous);
        }
        charge(probe, r);
        long machineBudget = probe.machine().options().instructionBudget();
        firstRunCut = r.call() instanceof CallResult.Faulted f && f.fault().kind() == Fault.Kind.BUDGET_EXHAUSTED
                && (machineBudget == 0 || budget < machineBudget || f.fault().detail().startsWith(WORK_PREFIX));
        return r;
    }

    /** Whether the budget ended the first run (it then has no return to compare reruns with). */
    boolean firstRunCut() {
        return firstRunCut;
    }

    /** The note a function gets when the budget ended its first run. */
    Stopped firstRunNote() {
        return new Stopped(VerifyOptions.WORK_BUDGET_RULE, WORK_PREFIX + budget + " units (instructions + "
                + VerifyOptions.HYPERCALL_WORK + " per hypercall, over the first run and its reruns) spent in the"
                + " first run; it ended there without a return, no rerun was made, and the findings proven up to"
                + " there stand");
    }

    private String firstRunMessage(long handled) {
        return WORK_PREFIX + budget + " units spent after " + handled + " hypercalls";
    }

    /** Charges a run that already happened. */
    void charge(Probe probe, RunResult r) {
        long cost = probe.machine().instructionsExecuted() + VerifyOptions.HYPERCALL_WORK * r.hypercallCount();
        if (firstRun < 0) {
            firstRun = cost;
        }
        spent += cost;
    }

    /** Work spent so far. */
    long spent() {
        return spent;
    }

    /**
     * Reruns {@code call} with at most the work that is left.
     *
     * @throws Stopped when the budget is spent, the budget ended the rerun, or the wall-clock guard did
     */
    RunResult rerun(Probe probe, GuestCall call) throws UnknownFunctionException, Stopped {
        long left = left();
        RunResult r = probe.run(call, left);
        charged(probe, r);
        long machineBudget = probe.machine().options().instructionBudget();
        boolean cutByWork = budget != 0 && (machineBudget == 0 || left < machineBudget);
        if (cutByWork && r.call() instanceof CallResult.Faulted f && f.fault().kind() == Fault.Kind.BUDGET_EXHAUSTED) {
            throw spentNote();
        }
        return r;
    }

    /**
     * Reruns {@code call} from {@code point} ({@link Probe#resume}) with at most the work that is left, charged as the
     * rerun from the entry: empty, and nothing charged, when a budget ended it (the run from the entry says where such
     * a run ends).
     *
     * @throws Stopped when the budget is spent or the wall-clock guard ended the rerun
     */
    Optional<RunResult> resume(Probe probe, GuestCall call, TrapPoint point)
            throws UnknownFunctionException, Stopped {
        RunResult r = probe.resume(call, point, left());
        if (r.call() instanceof CallResult.Faulted f && f.fault().kind() == Fault.Kind.BUDGET_EXHAUSTED) {
            return Optional.empty();
        }
        return Optional.of(charged(probe, r));
    }

    /** The work a rerun may do. */
    private long left() throws Stopped {
        long left = budget == 0 ? 0 : budget - spent;
        if (budget != 0 && (left <= 0 || left < firstRun)) {
            // Not enough left for a rerun of the first run's length: its observation would be cut short.
            throw spentNote();
        }
        return left;
    }

    /** Charges a rerun; a rerun the wall-clock guard ended gives no observation. */
    private RunResult charged(Probe probe, RunResult r) throws Stopped {
        charge(probe, r);
        if (r.inconclusive()) {
            throw new Stopped(RunResult.INCONCLUSIVE_RULE, "inconclusive: the wall-clock guard ended a rerun;"
                    + " the differential analysis stopped there (findings before it stand)");
        }
        return r;
    }

    /**
     * Charges a rerun that would repeat the first run exactly, without making it: the same check as {@link #rerun}
     * before it, and the first run's cost (it replays the same path, so it would cost exactly that and could not be
     * cut short by the work left).
     *
     * @throws Stopped when less than the first run's cost is left
     */
    void repeatFirst() throws Stopped {
        long left = budget == 0 ? 0 : budget - spent;
        if (budget != 0 && (left <= 0 || left < firstRun)) {
            throw spentNote();
        }
        spent += firstRun;
    }

    private Stopped spentNote() {
        return new Stopped(VerifyOptions.WORK_BUDGET_RULE, WORK_PREFIX + budget + " units (instructions + "
                + VerifyOptions.HYPERCALL_WORK + " per hypercall, over the first run and its reruns) spent;"
                + " the reruns stopped there and the findings proven before stand");
    }
}
