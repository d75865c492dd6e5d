package io.hvprobe.verify;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.hvprobe.verify.PathQueries.hex;

/** {@link CoreRule#CALLEE_SAVED}: a callee-saved register (the stack pointer aside) differs at return. */
final class CalleeSavedRule implements PathRule {

    @Override
    public List<LocatedFinding> check(PathQueries q) {
        ExecutionPath path = q.path();
        if (!(q.run().call() instanceof CallResult.Returned ret) || path.length() == 0) {
            return List.of();
        }
        List<LocatedFinding> out = new ArrayList<>();
        long lastPc = path.address(path.length() - 1);
        Set<GuestRegister> saved = q.arch().calleeSaved();
        for (GuestRegister r : q.arch().registers()) {
            if (!saved.contains(r) || r == q.arch().stackPointer()) {
                continue;
            }
            long expected = GuestMachine.initialValue(r);
            long observed = ret.registers().get(r);
            if (expected != observed) {
                out.add(q.at(lastPc, CoreRule.CALLEE_SAVED.finding(
                        String.format(Locale.ROOT, "callee-saved %s is %s at return, expected %s",
                                r.displayName(), hex(observed), hex(expected)),
                        Map.of("register", r.displayName(), "expected", hex(expected), "observed", hex(observed),
                                "last-written-at", q.lastWriter(path.length(), r)))));
            }
        }
        return out;
    }
}
