package io.hvprobe.cli;

import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;

import java.util.List;

/** The hypervisor-neutral rules (docs/RULES.md), for report metadata. */
final class CoreRules {
    static final List<RuleDescriptor> ALL = List.of(
            new RuleDescriptor("hvprobe.unhandled-trap", Severity.ERROR,
                    "A trap instruction no hypervisor plugin claimed."),
            new RuleDescriptor("hvprobe.fault", Severity.ERROR,
                    "The guest faulted (unmapped/protected access, invalid instruction, unexpected interrupt)."),
            new RuleDescriptor("hvprobe.bug", Severity.NOTE,
                    "The run reached the kernel's BUG() (a __bug_table entry without the WARN flag) and ended there."),
            new RuleDescriptor("hvprobe.budget", Severity.ERROR,
                    "The call exceeded its instruction budget."),
            new RuleDescriptor("hvprobe.expectation", Severity.ERROR,
                    "check --manifest: a run differs from its manifest entry."),
            new RuleDescriptor("hvprobe.load-failed", Severity.ERROR,
                    "check of several objects: one object could not be loaded; the others were checked."),
            new RuleDescriptor("hvprobe.inconclusive", Severity.NOTE,
                    "The wall-clock guard ended a run before it finished: no verdict, nothing about the guest."),
            new RuleDescriptor("hvprobe.work-budget", Severity.NOTE,
                    "The function's work budget ended its reruns early; the findings proven before stand."),
            new RuleDescriptor("hvprobe.clobber.written", Severity.ERROR,
                    "A register live across the trap that the command's contract writes."),
            new RuleDescriptor("hvprobe.clobber.may-change", Severity.WARNING,
                    "A register live across the trap that the ABI permits the hypervisor to change."),
            new RuleDescriptor("hvprobe.undefined-consumed", Severity.ERROR,
                    "A value the ABI leaves undefined changed an observable result (differential run)."),
            new RuleDescriptor("hvprobe.callee-saved", Severity.ERROR,
                    "A callee-saved register differs at function return."),
            new RuleDescriptor("hvprobe.stack-imbalance", Severity.ERROR,
                    "The stack pointer at return is not the one at entry."),
            new RuleDescriptor("hvprobe.flags-consumed", Severity.WARNING,
                    "Flags set before a trap are read after it although the contract lets the hypervisor change"
                            + " them."),
            new RuleDescriptor("hvprobe.input-truncated", Severity.WARNING,
                    "An input has non-zero bits the hypervisor ignores."),
            new RuleDescriptor("hvprobe.memory-clobber-missing", Severity.ERROR,
                    "After a trap that writes guest memory, the code uses a value loaded from it before the trap."),
            new RuleDescriptor("hvprobe.redundant-save", Severity.NOTE,
                    "The code saves/restores a register around the trap although the contract preserves it."));

    private CoreRules() {
    }
}
