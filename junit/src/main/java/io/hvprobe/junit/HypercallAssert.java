package io.hvprobe.junit;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.TrapForm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Assertions that the run made a hypercall of one command, narrowed step by step (input registers, instruction form,
 * answer registers): each step keeps the hypercalls that still match and fails when none does, listing every
 * hypercall of the command with the registers asked about. The run's own assertions ({@link #returned},
 * {@link #hasNoFindingsAtOrAbove} ...) continue the chain.
 */
public final class HypercallAssert extends RunAssert {
    private final String command;
    /** What was asked so far, e.g. {@code GETVERSION with RBX = 0x0 via IN}. */
    private final String expectation;
    private final List<HypercallRecord> matching;
    /** Registers asked about, shown for each hypercall in a failure. */
    private final List<Shown> shown;

    HypercallAssert(RunAssert run, String command) {
        this(run, command, command, run.run().hypercalls().stream().filter(h -> h.command().equals(command)).toList(),
                List.of());
    }

    private HypercallAssert(RunAssert run, String command, String expectation, List<HypercallRecord> matching,
                            List<Shown> shown) {
        super(run);
        this.command = command;
        this.expectation = expectation;
        this.matching = matching;
        this.shown = shown;
        if (matching.isEmpty()) {
            throw failure();
        }
    }

    /**
     * That a matching hypercall had {@code value} in {@code register} when it trapped (its input).
     *
     * @param register the register, e.g. {@code X86Register.RBX}
     * @param value    the expected value (all 64 bits)
     * @return the hypercalls that still match
     */
    public HypercallAssert with(GuestRegister register, long value) {
        return narrowed(" with " + register.name() + " = " + hex(value),
                h -> Long.valueOf(value).equals(value(h.event().registers(), register)),
                new Shown(register, false));
    }

    /**
     * That a matching hypercall used instruction form {@code form} (e.g. {@code IN}, {@code VMCALL}, {@code HVC}).
     *
     * @param form the instruction form
     * @return the hypercalls that still match
     */
    public HypercallAssert via(TrapForm form) {
        return narrowed(" via " + form.name(), h -> h.event().form() == form, null);
    }

    /**
     * That the model answered a matching hypercall with {@code value} in {@code register} (the register after the
     * answer was applied).
     *
     * @param register the register, e.g. {@code X86Register.RAX}
     * @param value    the expected value (all 64 bits)
     * @return the hypercalls that still match
     */
    public HypercallAssert answered(GuestRegister register, long value) {
        return narrowed(" answered with " + register.name() + " = " + hex(value),
                h -> Long.valueOf(value).equals(value(h.after(), register)), new Shown(register, true));
    }

    private HypercallAssert narrowed(String step, Predicate<HypercallRecord> test, Shown show) {
        List<Shown> nextShown = new ArrayList<>(shown);
        if (show != null) {
            nextShown.add(show);
        }
        return new HypercallAssert(this, command, expectation + step, matching.stream().filter(test).toList(),
                nextShown);
    }

    /** The register's value, or null when it is of another architecture than the snapshot. */
    private static Long value(RegisterSnapshot registers, GuestRegister register) {
        return registers.arch() == register.arch() ? registers.get(register) : null;
    }

    private AssertionError failure() {
        List<HypercallRecord> all = run().hypercalls();
        List<HypercallRecord> ofCommand = all.stream().filter(h -> h.command().equals(command)).toList();
        String made;
        if (all.isEmpty()) {
            made = "it made no hypercall";
        } else if (ofCommand.isEmpty()) {
            made = "it made " + all.size() + " hypercall(s), none " + command + ": "
                    + String.join(", ", all.stream().map(HypercallRecord::command).distinct().toList());
        } else {
            made = "none of its " + ofCommand.size() + " " + command + " hypercall(s) matches: "
                    + String.join("; ", ofCommand.stream().map(this::describe).toList());
        }
        return failure("Expected " + run().function() + " to make hypercall " + expectation + ", but " + made + ".",
                expectation, made);
    }

    /** {@code #1 GETVERSION via IN at hv_detect+0x12 with RBX = 0x0}: the facts the expectation asked about. */
    private String describe(HypercallRecord h) {
        StringBuilder b = new StringBuilder("#").append(h.event().sequence()).append(' ').append(h.command())
                .append(" via ").append(h.event().form().name()).append(" at ").append(h.event().location());
        for (Shown s : shown) {
            Long v = value(s.answer() ? h.after() : h.event().registers(), s.register());
            b.append(s.answer() ? " answered with " : " with ").append(s.register().name()).append(" = ")
                    .append(v == null ? "(not a " + h.event().arch() + " register)" : hex(v));
        }
        return b.toString();
    }

    /** A register an expectation named, read before the trap or after the answer. */
    private record Shown(GuestRegister register, boolean answer) {
    }
}
