package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.report.CheckReport;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.verify.Verification;

import java.io.PrintWriter;
import java.util.List;

/**
 * Decides what {@code hvprobe check} runs for each object and how it judges the outcome: the extension point
 * for scenario sources such as a manifest of expected results. {@link SyntheticPlan} is the default.
 *
 * <p>One plan serves all worker threads ({@code --jobs}): implementations must be thread-safe (stateless, or
 * synchronised where they collect results) and deterministic (the same object gives the same calls).
 */
public interface FunctionPlan {

    /** Machine options for every run (lenient memory, budgets). */
    MachineOptions machine();

    /**
     * The functions of the object to check, in a deterministic order. Default: the entry functions of
     * {@link Probe#trapReach()} — every global function that contains or directly calls into a trap site, and
     * every local one that nothing in the object calls — so each trap runs, and a static wrapper the compiler
     * did not inline runs with the arguments its callers really pass.
     */
    default List<GuestSymbol> functions(Probe probe, PlanContext context) {
        return probe.trapReach().entryFunctions();
    }

    /** The calls to run for {@code function}; an empty list skips it. */
    List<PlannedCall> calls(PlanContext context, GuestSymbol function);

    /**
     * The findings reported for one verified call. Default: the verification's findings as they are. A plan with
     * expected results may drop expected findings and add its own (e.g. a missing seeded bug).
     */
    default List<LocatedFinding> assess(PlanContext context, PlannedCall call, Verification verification) {
        return verification.findings();
    }

    /** Extra lines for the text summary after the table (e.g. seeded-bug accounting); default none. */
    default void summarize(CheckReport report, PrintWriter out) {
    }
}
