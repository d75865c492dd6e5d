package io.hvprobe.verify;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RegisterContract;

import java.util.ArrayList;
import java.util.HashMap;
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
    /** At most this many distinct findings are remembered ({@link #made}). */
    private static final int MADE_CAP = 4096;

    /** What a finding is made of: equal parts make an equal finding. */
    private record Parts(long pc, String command, List<String> restored) {
    }

    /**
     * The findings made so far by their parts: a trap in a loop restores the same registers at the same places
     * on every pass, and formatting the finding anew at each of tens of thousands of traps was most of the rule's
     * cost. Equal parts give an equal finding, so sharing one changes nothing a report shows.
     */
    private final Map<Parts, List<LocatedFinding>> made = new HashMap<>();
    /** Per contract object (the models share one per command): the general registers it preserves, as bits. */
    private final Map<RegisterContract, Long> preserved = new java.util.IdentityHashMap<>();
    /** Per address: the text of a restore of each register there, by register index, as far as named. */
    private final Map<Long, String[]> restores = new HashMap<>();

    private long preserved(PathQueries q, RegisterContract c) {
        if (preserved.size() >= MADE_CAP) {
            preserved.clear(); // a model that builds a contract per trap: stay bounded
        }
        return preserved.computeIfAbsent(c, k -> {
            Set<GuestRegister> clobbered = q.clobbered(k);
            long bits = 0;
            for (GuestRegister r : q.generalRegisters()) {
                if (!clobbered.contains(r)) {
                    bits |= 1L << r.index();
                }
            }
            return bits;
        });
    }

    /** {@code r} restored at {@code address}, for the finding: named once per register and address. */
    private String restore(PathQueries q, GuestRegister r, long address) {
        if (restores.size() >= MADE_CAP) {
            restores.clear(); // restores at ever new places: stay bounded
        }
        String[] known = restores.computeIfAbsent(address, k -> new String[q.arch().registers().size()]);
        if (known[r.index()] == null) {
            known[r.index()] = r.displayName() + " at " + q.symbolize(address);
        }
        return known[r.index()];
    }

    @Override
    public List<LocatedFinding> check(PathQueries q, ExecutionPath.TrapMark t, RegisterContract c) {
        ExecutionPath path = q.path();
        RegisterSnapshot before = t.record().event().registers();
        // The registers still looked for, as bits by register index: one pass over the window serves them all (a
        // dense path has a trap every few instructions, and a pass per register was most of the rule's cost).
        long pending = 0;
        List<? extends GuestRegister> registers = q.arch().registers();
        for (long m = preserved(q, c); m != 0; m &= m - 1) {
            GuestRegister r = registers.get(Long.numberOfTrailingZeros(m));
            if (before.get(r) != GuestMachine.initialValue(r)) {
                pending |= 1L << r.index(); // untouched since entry: restores of it are the epilogue's business
            }
        }
        List<String> restored = new ArrayList<>();
        int end = Math.min(path.length(), t.index() + 1 + RESTORE_WINDOW);
        for (int i = t.index() + 1; i < end && pending != 0 && !path.isTrapAt(i); i++) {
            RegisterAccess a = q.access(path.address(i));
            for (GuestRegister r : a.reads()) {
                pending &= ~(1L << r.index()); // read first: the value is used, not merely restored
            }
            for (GuestRegister r : a.writes()) {
                long bit = 1L << r.index();
                if ((pending & bit) != 0) {
                    pending &= ~bit;
                    if (path.register(i + 1, r) == before.get(r)) {
                        restored.add(restore(q, r, path.address(i)));
                    }
                }
            }
        }
        if (restored.isEmpty()) {
            return List.of();
        }
        restored.sort(null);
        Parts parts = new Parts(t.record().event().pc(), t.record().command(), restored);
        List<LocatedFinding> known = made.get(parts);
        if (known != null) {
            return known;
        }
        if (made.size() >= MADE_CAP) {
            made.clear(); // a path whose traps all restore differently: stay bounded
        }
        List<LocatedFinding> finding = List.of(q.at(t.record().event().pc(), CoreRule.REDUNDANT_SAVE.finding(
                String.format(Locale.ROOT, "%d register(s) restored after the trap although %s preserves them",
                        restored.size(), t.record().command()),
                Map.of("restored", String.join(", ", restored), "command", t.record().command()))));
        made.put(parts, finding);
        return finding;
    }
}
