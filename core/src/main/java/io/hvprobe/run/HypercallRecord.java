package io.hvprobe.run;

import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;

import java.util.List;
import java.util.Optional;

/**
 * One entry of a run's hypercall log: what the guest asked, who answered, what changed.
 *
 * @param event    the trap as the plugins saw it (registers before)
 * @param plugin   name of the plugin that handled it, or empty when none did
 * @param outcome  the plugin's answer, or empty when unhandled
 * @param after    the registers after the answer was applied (PC past the instruction), or the
 *                 unchanged registers when unhandled
 * @param applied  register writes actually applied, in order: the plugin's writes, then any the run
 *                 added (e.g. the verifier's poison values)
 */
public record HypercallRecord(TrapEvent event, Optional<String> plugin, Optional<TrapOutcome.Handled> outcome,
                              RegisterSnapshot after, List<io.hvprobe.spi.RegisterWrite> applied) {
    /**
     * Copies {@code applied}.
     *
     * @param event   the trap as the plugins saw it
     * @param plugin  name of the plugin that handled it, or empty
     * @param outcome the plugin's answer, or empty when unhandled
     * @param after   the registers after the answer was applied
     * @param applied register writes actually applied, in order (copied)
     */
    public HypercallRecord {
        applied = List.copyOf(applied);
    }

    /** {@return whether a plugin answered (the outcome is present)} */
    public boolean handled() {
        return outcome.isPresent();
    }

    /** {@return the decoded command name, or the trap form when unhandled} */
    public String command() {
        return outcome.map(TrapOutcome.Handled::command).orElse(event.form().name());
    }

    /** {@return the plugin's findings for this call, empty when unhandled} */
    public List<Finding> findings() {
        return outcome.map(TrapOutcome.Handled::findings).orElse(List.of());
    }
}
