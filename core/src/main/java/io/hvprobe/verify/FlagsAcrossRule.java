package io.hvprobe.verify;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RegisterContract;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link CoreRule#FLAGS_CONSUMED}: flags set before a trap and read after it, when the contract lets the hypervisor change them. */
final class FlagsAcrossRule implements TrapRule {

    @Override
    public List<LocatedFinding> check(PathQueries q, ExecutionPath.TrapMark t, RegisterContract c) {
        GuestRegister flags = q.arch().flags();
        if (c.role(flags).effect() == RegisterContract.Effect.PRESERVED) {
            return List.of();
        }
        Optional<PathQueries.Use> use = q.firstUse(t.index() + 1, flags);
        if (use.isEmpty() || !use.get().reads()) {
            return List.of();
        }
        long readAt = q.path().address(use.get().index());
        return List.of(q.at(t.record().event().pc(), CoreRule.FLAGS_CONSUMED.finding(
                String.format(Locale.ROOT, "flags set before the trap are read at %s, but %s may change them; %s",
                        q.symbolize(readAt), t.record().command(), Advice.flags(q.arch())),
                Map.of("register", flags.displayName(), "read-at", q.loc(readAt),
                        "set-at", q.lastWriter(t.index(), flags), "command", t.record().command()))));
    }
}
