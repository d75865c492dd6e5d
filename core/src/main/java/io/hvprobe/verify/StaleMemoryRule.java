package io.hvprobe.verify;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.MemoryWrite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static io.hvprobe.verify.PathQueries.hex;

/**
 * {@link CoreRule#MEMORY_CLOBBER_MISSING}: a value the code loaded from guest memory before a trap, used after the
 * trap although the hypervisor rewrote that memory with different bytes during it: the asm did not tell the
 * compiler that memory changes (no {@code "memory"} clobber), so the compiler reused the stale copy it held in a
 * register. Tracked by value, so a register swapped out and back around the template (the HB {@code xchg} of RBP)
 * still counts; saves to the stack and swaps themselves are not "uses".
 */
final class StaleMemoryRule implements PathRule {
    /**
     * Most steps the analysis takes (loads examined plus instructions scanned for a use): it is quadratic in the
     * worst case, and a guest that loops over thousands of memory-writing traps must not stall the verifier. When
     * reached, the analysis stops and the verification says so.
     */
    static final long WORK_LIMIT = 50_000_000L;

    private long work;
    private boolean limited;

    @Override
    public List<String> notes() {
        return limited ? List.of("missing-memory-clobber analysis stopped after " + WORK_LIMIT + " steps") : List.of();
    }

    @Override
    public List<LocatedFinding> check(PathQueries q) {
        ExecutionPath path = q.path();
        List<LocatedFinding> out = new ArrayList<>();
        Set<String> reported = new HashSet<>();
        for (ExecutionPath.TrapMark t : path.traps()) {
            var outcome = t.record().outcome();
            if (outcome.isEmpty() || outcome.get().memoryWrites().isEmpty()) {
                continue;
            }
            for (int k = 0; k < path.readCount(); k++) {
                int loadIndex = path.readIndex(k);
                if (loadIndex >= t.index()) {
                    break;
                }
                if (++work > WORK_LIMIT) {
                    limited = true;
                    return out;
                }
                long a = path.readAddress(k);
                int size = path.readSize(k);
                Optional<byte[]> now = bytesWritten(outcome.get().memoryWrites(), a, size);
                if (now.isEmpty()) {
                    continue;
                }
                long fresh = littleEndian(now.get());
                long mask = size >= 8 ? -1L : (1L << (8 * size)) - 1;
                long loadPc = path.address(loadIndex);
                for (GuestRegister d : q.access(loadPc).writes()) {
                    if (!q.generalRegisters().contains(d)) {
                        continue;
                    }
                    long stale = path.register(loadIndex + 1, d);
                    if ((stale & mask) == (fresh & mask)) {
                        continue; // the hypervisor wrote what the register already holds: nothing is stale
                    }
                    if (reported.contains(t.index() + ":" + d)) {
                        continue;
                    }
                    int use = staleUse(path, q, t.index() + 1, d, stale);
                    if (use < 0) {
                        continue;
                    }
                    reported.add(t.index() + ":" + d);
                    long usePc = path.address(use);
                    Map<String, String> ev = new TreeMap<>();
                    ev.put("register", d.displayName());
                    ev.put("memory", hex(a) + "+" + size);
                    ev.put("stale", hex(stale & mask));
                    ev.put("written", hex(fresh & mask));
                    ev.put("loaded-at", q.loc(loadPc));
                    ev.put("used-at", q.loc(usePc));
                    ev.put("command", t.record().command());
                    out.add(q.at(t.record().event().pc(), CoreRule.MEMORY_CLOBBER_MISSING.finding(
                            String.format(Locale.ROOT, "%s holds %s loaded from %s at %s before the trap; %s wrote %s"
                                            + " there, but the code uses the stale copy at %s (missing \"memory\" clobber?)",
                                    d.displayName(), hex(stale & mask), hex(a), q.symbolize(loadPc),
                                    t.record().command(), hex(fresh & mask), q.symbolize(usePc)), ev)));
                }
            }
        }
        return out;
    }

    /** First instruction from {@code from} that computes with {@code r} while it still holds {@code value}. */
    private int staleUse(ExecutionPath path, PathQueries q, int from, GuestRegister r, long value) {
        for (int i = from; i < path.length(); i++) {
            if (++work > WORK_LIMIT) {
                limited = true;
                return -1;
            }
            if (path.isTrapAt(i) || path.register(i, r) != value) {
                continue;
            }
            RegisterAccess a = q.access(path.address(i));
            if (a.reads().contains(r) && !a.writes().contains(r) && !a.writesMemory()) {
                return i;
            }
        }
        return -1;
    }

    /** The bytes the hypervisor wrote over {@code [a, a + size)}, when one write covers the whole range. */
    private static Optional<byte[]> bytesWritten(List<MemoryWrite> writes, long a, int size) {
        for (MemoryWrite w : writes) {
            if (a >= w.address() && a + size <= w.address() + w.length()) {
                byte[] data = w.data();
                return Optional.of(Arrays.copyOfRange(data, (int) (a - w.address()), (int) (a - w.address()) + size));
            }
        }
        return Optional.empty();
    }

    private static long littleEndian(byte[] b) {
        long v = 0;
        for (int i = Math.min(8, b.length) - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
