package io.hvprobe.verify;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RegisterContract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link CoreRule#REDUNDANT_SAVE}: registers restored or re-materialised right after a trap to the value they had
 * before it, although the contract preserves them: work the compiler did only because the asm declared them
 * clobbered.
 */
final class RedundantSaveRule implements TrapRule {
    /** How far after a trap a restore of the preserved value still counts as "around the trap". */
    private static final int RESTORE_WINDOW = 32;

    @Override
    public List<LocatedFinding> check(PathQueries q, ExecutionPath.TrapMark t, RegisterContract c) {
        ExecutionPath path = q.path();
        Set<GuestRegister> clobbered = q.clobbered(c);
        List<String> restored = new ArrayList<>();
        for (GuestRegister r : q.generalRegisters()) {
            if (clobbered.contains(r)) {
                continue;
            }
            long before = t.record().event().registers().get(r);
            if (before == GuestMachine.initialValue(r)) {
                continue; // untouched since entry: restores of it are the epilogue's business
            }
            for (int i = t.index() + 1; i < Math.min(path.length(), t.index() + 1 + RESTORE_WINDOW); i++) {
                RegisterAccess a = q.access(path.address(i));
                if (path.isTrapAt(i) || a.reads().contains(r)) {
                    break;
                }
                if (a.writes().contains(r)) {
                    if (path.register(i + 1, r) == before) {
                        restored.add(r.displayName() + " at " + q.symbolize(path.address(i)));
                    }
                    break;
                }
            }
        }
        if (restored.isEmpty()) {
            return List.of();
        }
        restored.sort(null);
        return List.of(q.at(t.record().event().pc(), CoreRule.REDUNDANT_SAVE.finding(
                String.format(Locale.ROOT, "%d register(s) restored after the trap although %s preserves them",
                        restored.size(), t.record().command()),
                Map.of("restored", String.join(", ", restored), "command", t.record().command()))));
    }
}
