package io.hvprobe.run;

import io.hvprobe.spi.CatalogueRule;
import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hypervisor-neutral finding rules (docs/RULES.md, "Run-level" and "Register-semantics verifier"): the one place
 * for each rule's id, default severity, what its findings rest on and its one-sentence description.
 */
public enum CoreRule implements CatalogueRule {
    /** A trap instruction no plugin claimed. */
    UNHANDLED_TRAP("hvprobe.unhandled-trap", Severity.ERROR, RestsOn.RUN,
            "A trap instruction no hypervisor plugin claimed."),
    /** The guest faulted. */
    FAULT("hvprobe.fault", Severity.ERROR, RestsOn.RUN,
            "The guest faulted (unmapped/protected access, invalid instruction, unexpected interrupt)."),
    /** The run reached the kernel's BUG(). */
    BUG("hvprobe.bug", Severity.NOTE, RestsOn.RUN,
            "The run reached the kernel's BUG() (a __bug_table entry without the WARN flag) and ended there."),
    /** The instruction budget ran out. */
    BUDGET("hvprobe.budget", Severity.ERROR, RestsOn.RUN,
            "The call exceeded its instruction budget."),
    /** The call came back to a state it had been in: it never ends. */
    ENDLESS_LOOP("hvprobe.endless-loop", Severity.ERROR, RestsOn.RUN,
            "The call came back to a state it had been in (registers and memory) with nothing outside the guest"
                    + " acting in between: it never ends."),
    /** Coverage: a hypercall site no run reached. */
    UNREACHED_SITE("hvprobe.unreached-site", Severity.NOTE, RestsOn.NOTHING,
            "A hypercall site no run of the check reached (coverage, reported in SARIF as a note)."),
    /** A manifest expectation failed. */
    EXPECTATION("hvprobe.expectation", Severity.ERROR, RestsOn.NOTHING,
            "check --manifest: a run differs from its manifest entry."),
    /** An object of a check did not load. */
    LOAD_FAILED("hvprobe.load-failed", Severity.ERROR, RestsOn.NOTHING,
            "check of several objects: one object could not be loaded; the others were checked."),
    /** The wall-clock guard ended a run. */
    INCONCLUSIVE("hvprobe.inconclusive", Severity.NOTE, RestsOn.RUN,
            "The wall-clock guard ended a run before it finished: no verdict, nothing about the guest."),
    /** The work budget ended the reruns. */
    WORK_BUDGET("hvprobe.work-budget", Severity.NOTE, RestsOn.NOTHING,
            "The function's work budget ended its first run or its reruns early; the findings proven before stand."),
    /** A register the hypervisor writes is read after the trap. */
    CLOBBER_WRITTEN("hvprobe.clobber.written", Severity.ERROR, RestsOn.NOTHING,
            "A register live across the trap that the command's contract writes."),
    /** A register the hypervisor may change is read after the trap. */
    CLOBBER_MAY_CHANGE("hvprobe.clobber.may-change", Severity.WARNING, RestsOn.NOTHING,
            "A register live across the trap that the ABI permits the hypervisor to change."),
    /** An undefined value changed an observable result. */
    UNDEFINED_CONSUMED("hvprobe.undefined-consumed", Severity.ERROR, RestsOn.NOTHING,
            "A value the ABI leaves undefined changed an observable result (differential run)."),
    /** A callee-saved register changed. */
    CALLEE_SAVED("hvprobe.callee-saved", Severity.ERROR, RestsOn.NOTHING,
            "A callee-saved register differs at function return."),
    /** The stack pointer at return is off. */
    STACK_IMBALANCE("hvprobe.stack-imbalance", Severity.ERROR, RestsOn.NOTHING,
            "The stack pointer at return is not the one at entry."),
    /** Flags are read across a trap that may change them. */
    FLAGS_CONSUMED("hvprobe.flags-consumed", Severity.WARNING, RestsOn.NOTHING,
            "Flags set before a trap are read after it although the contract lets the hypervisor change them."),
    /** An input has bits the hypervisor ignores. */
    INPUT_TRUNCATED("hvprobe.input-truncated", Severity.WARNING, RestsOn.NOTHING,
            "An input has non-zero bits the hypervisor ignores."),
    /** A stale copy of memory the hypervisor rewrote is used. */
    MEMORY_CLOBBER_MISSING("hvprobe.memory-clobber-missing", Severity.ERROR, RestsOn.NOTHING,
            "After a trap that writes guest memory, the code uses a value loaded from it before the trap."),
    /** A register the contract preserves is saved/restored anyway. */
    REDUNDANT_SAVE("hvprobe.redundant-save", Severity.NOTE, RestsOn.NOTHING,
            "The code saves/restores a register around the trap although the contract preserves it.");

    /** The two sets of dependencies core rules have. */
    private static final class RestsOn {
        /** Where a run goes follows from its arguments and starting state (docs/verifier.md, "Invented inputs"). */
        static final Set<Dependency> RUN = Set.of(Dependency.INPUT_VALUES, Dependency.PROTOCOL_STATE);
        /** About what the code does with the hypervisor's answer, or about the tool itself. */
        static final Set<Dependency> NOTHING = Set.of();
    }

    private final RuleDescriptor descriptor;

    CoreRule(String id, Severity defaultSeverity, Set<Dependency> restsOn, String description) {
        this.descriptor = new RuleDescriptor(id, defaultSeverity, description, restsOn);
    }

    @Override
    public RuleDescriptor descriptor() {
        return descriptor;
    }

    /**
     * A finding of this rule at its default severity, resting on what the rule rests on.
     *
     * @param message  the finding's one-line message
     * @param evidence key/value evidence, in the order the report prints it (copied by {@link Finding})
     * @return the finding, with this rule's id, default severity and grounds
     */
    public Finding finding(String message, Map<String, String> evidence) {
        return new Finding(id(), defaultSeverity(), message, evidence, restsOn());
    }

    /** {@return every core rule's descriptor, in catalogue order (the order docs/RULES.md lists them)} */
    public static List<RuleDescriptor> descriptors() {
        return Arrays.stream(values()).map(CoreRule::descriptor).toList();
    }
}
