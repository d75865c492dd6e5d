package io.hvprobe.cli;

import io.hvprobe.guest.Argument;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.verify.Grounds;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The default {@link FunctionPlan}: one call per trap function with invented but deterministic arguments.
 *
 * <p>Scheme: the signature is unknown (objects carry no debug info), so every one of the
 * {@value GuestCall#MAX_ARGUMENTS} argument slots gets the address of its own fresh zeroed
 * {@value #BUFFER_SIZE}-byte guest buffer ({@code Argument.Buffer.zeroed}). A pointer parameter sees an empty
 * buffer (an empty string, zeroed structures); an integer parameter sees a large heap address. Runs use lenient
 * memory (unmapped data pages are mapped as zeroes on demand) and a budget of {@value #BUDGET} instructions.
 * Each function runs alone in a fresh hypervisor session. The calls are {@link Grounds#invented()}: a finding that
 * rests on the invented arguments or on protocol state the function's real callers would have set up (a fault,
 * a budget overrun, a command number taken from an argument, GET_TARGET before START) is a note that says so.
 */
public final class SyntheticPlan implements FunctionPlan {
    /** Bytes per synthetic buffer. */
    public static final int BUFFER_SIZE = 4096;
    /** Instruction budget per synthetic call. */
    public static final long BUDGET = 2_000_000;

    /**
     * Machine options of every synthetic call. The instruction budget, not the clock, ends a looping call: the
     * default wall-clock guard ({@link MachineOptions#DEFAULT_WALL_CLOCK_GUARD}) is a last resort whose expiry makes
     * a run inconclusive, so a loaded machine and {@code --jobs N} report what an idle serial run does.
     */
    @Override
    public MachineOptions machine() {
        return MachineOptions.defaults().withLenient(true).withInstructionBudget(BUDGET);
    }

    @Override
    public List<PlannedCall> calls(PlanContext context, GuestSymbol function) {
        List<Argument> args = Collections.nCopies(GuestCall.MAX_ARGUMENTS, Argument.Buffer.zeroed(BUFFER_SIZE));
        return List.of(new PlannedCall(new GuestCall(function.name(), args), Grounds.invented(), "synthetic"));
    }
}
