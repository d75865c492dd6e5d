package io.hvprobe.verify;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RegisterContract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.hvprobe.verify.PathQueries.hex;

/**
 * {@link CoreRule#INPUT_TRUNCATED}: inputs whose upper bits the hypervisor ignores but that are not zero, unless
 * the model already reported that register at the trap.
 */
final class TruncatedInputRule implements TrapRule {

    @Override
    public List<LocatedFinding> check(PathQueries q, ExecutionPath.TrapMark t, RegisterContract c) {
        List<LocatedFinding> out = new ArrayList<>();
        Set<String> reportedByModel = new HashSet<>();
        t.record().findings().forEach(f -> {
            String r = f.evidence().get("register");
            if (r != null) {
                reportedByModel.add(r.toLowerCase(Locale.ROOT));
            }
        });
        for (Map.Entry<GuestRegister, RegisterContract.Role> e : c.roles().entrySet()) {
            long mask = e.getValue().inputMask();
            long value = t.record().event().registers().get(e.getKey());
            if (mask == 0 || mask == -1L || (value & ~mask) == 0
                    || reportedByModel.contains(e.getKey().displayName())) {
                continue;
            }
            out.add(q.at(t.record().event().pc(), CoreRule.INPUT_TRUNCATED.finding(
                    String.format(Locale.ROOT, "%s = %s has bits the hypervisor ignores for %s (it reads %s)",
                            e.getKey().displayName(), hex(value), t.record().command(), hex(mask)),
                    Map.of("register", e.getKey().displayName(), "value", hex(value), "mask", hex(mask),
                            "lost", hex(value & ~mask)))));
        }
        return out;
    }
}
