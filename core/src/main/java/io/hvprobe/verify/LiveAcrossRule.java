package io.hvprobe.verify;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.RegisterContract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.hvprobe.verify.PathQueries.hex;

/**
 * Live-across: a register the contract lets the hypervisor change, that the code reads after the trap without
 * rewriting it.
 *
 * <ul>
 *   <li>may-change (undefined value), not an input: {@link CoreRule#CLOBBER_MAY_CHANGE}, proven from the binary
 *       — reading an undefined value is wrong whatever the asm declares;</li>
 *   <li>written (defined value): {@link CoreRule#CLOBBER_WRITTEN}, unconfirmed ("consumes R after the trap; the
 *       hypervisor writes R for CMD"): a correct wrapper that declares the register as an output compiles to the
 *       same code. Wrappers pass in1 in EBX/X1 even to commands that ignore it and read the output back from the
 *       same register, so neither "set before" nor "is an input" separates a consumed output from a value
 *       believed preserved; only a failed expectation can tell them apart.</li>
 * </ul>
 */
final class LiveAcrossRule implements TrapRule {

    @Override
    public List<LocatedFinding> check(PathQueries q, ExecutionPath.TrapMark t, RegisterContract c) {
        List<LocatedFinding> out = new ArrayList<>();
        for (GuestRegister r : q.clobbered(c)) {
            if (!q.generalRegisters().contains(r)) {
                continue;
            }
            boolean input = c.role(r).isInput();
            boolean written = c.role(r).effect() == RegisterContract.Effect.WRITTEN;
            if (input && !written) {
                continue;
            }
            Optional<PathQueries.Use> use = q.firstUse(t.index() + 1, r);
            if (use.isEmpty() || !use.get().reads()) {
                continue;
            }
            long pc = t.record().event().pc();
            long readAt = q.path().address(use.get().index());
            String setAt = q.lastWriter(t.index(), r);
            Map<String, String> ev = new TreeMap<>();
            ev.put("register", r.displayName());
            ev.put("command", t.record().command());
            ev.put("hypercall", Long.toString(t.record().event().sequence()));
            ev.put("set-at", setAt);
            ev.put("read-at", q.loc(readAt));
            ev.put("before", hex(t.record().event().registers().get(r)));
            ev.put("after", hex(t.record().after().get(r)));
            String where = q.symbolize(readAt);
            if (!written) {
                out.add(q.at(pc, CoreRule.CLOBBER_MAY_CHANGE.finding(
                        String.format(Locale.ROOT, "%s is live across the trap (read at %s) but %s may change it;"
                                + " declare it clobbered in the asm", r.displayName(), where, t.record().command()),
                        ev)));
            } else {
                out.add(q.at(pc, CoreRule.CLOBBER_WRITTEN.finding(
                        String.format(Locale.ROOT, "consumes %s after the trap (at %s); the hypervisor writes %s for %s"
                                        + " — if the code expects its old value, declare it an output of the asm",
                                r.displayName(), where, r.displayName(), t.record().command()), ev)));
            }
        }
        return out;
    }
}
