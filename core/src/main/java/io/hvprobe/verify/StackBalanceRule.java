package io.hvprobe.verify;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.guest.CallResult;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.hvprobe.verify.PathQueries.hex;

/**
 * {@link CoreRule#STACK_IMBALANCE}: the stack pointer at return is not the one at entry (on x86_64 plus the
 * return address the {@code ret} popped).
 */
final class StackBalanceRule implements PathRule {

    @Override
    public List<LocatedFinding> check(PathQueries q) {
        ExecutionPath path = q.path();
        if (!(q.run().call() instanceof CallResult.Returned ret) || path.length() == 0) {
            return List.of();
        }
        GuestRegister sp = q.arch().stackPointer();
        long entrySp = path.register(0, sp);
        long expectedSp = switch (q.arch()) {
            case X86_64 -> entrySp + 8;
            case ARM64 -> entrySp;
        };
        long observed = ret.registers().get(sp);
        if (observed == expectedSp) {
            return List.of();
        }
        return List.of(q.at(path.address(path.length() - 1), CoreRule.STACK_IMBALANCE.finding(
                String.format(Locale.ROOT, "stack pointer is %s at return, expected %s (%+d bytes)", hex(observed),
                        hex(expectedSp), observed - expectedSp),
                Map.of("register", sp.displayName(), "expected", hex(expectedSp), "observed", hex(observed)))));
    }
}
