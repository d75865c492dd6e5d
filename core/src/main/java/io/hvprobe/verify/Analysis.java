package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MemoryLayout;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.unicorn.UnicornException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Static-on-the-executed-path analyses of one recorded run: live-across, flags, truncated inputs,
 * callee-saved and stack balance at return, redundant saves, and the cost.
 */
final class Analysis {
    /** How far after a trap a restore of the preserved value still counts as "around the trap". */
    private static final int RESTORE_WINDOW = 32;
    /**
     * Most steps the stale-memory analysis takes (loads examined plus instructions scanned for a use): it is
     * quadratic in the worst case, and a guest that loops over thousands of memory-writing traps must not
     * stall the verifier. When reached, the analysis stops and the verification says so.
     */
    static final long STALE_WORK_LIMIT = 50_000_000L;

    private long staleWork;
    private boolean staleLimited;

    private final Probe probe;
    private final ExecutionPath path;
    private final RunResult run;
    private final Arch arch;
    private final Map<Long, Instruction> decoded = new HashMap<>();
    /** Per register: the path index of the last {@link #lastWriter} query and the writer found (-1: none). */
    private final Map<GuestRegister, int[]> lastWriters = new HashMap<>();

    Analysis(Probe probe, ExecutionPath path, RunResult run) {
        this.probe = probe;
        this.path = path;
        this.run = run;
        this.arch = probe.machine().arch();
    }

    /** Instruction at {@code address} (from the emulator's memory, cached). */
    Instruction instruction(long address) {
        return decoded.computeIfAbsent(address, a -> {
            GuestMachine m = probe.machine();
            byte[] bytes;
            try {
                bytes = m.read(a, 16);
            } catch (UnicornException e) {
                bytes = m.read(a, 4);
            }
            return m.disassembler().decode(a, bytes);
        });
    }

    /** Registers read/written by the instruction at path index {@code i}, zero idioms counted as writes only. */
    RegisterAccess access(long address) {
        Instruction insn = instruction(address);
        RegisterAccess a = insn.access().orElse(RegisterAccess.NONE);
        if (isZeroIdiom(insn)) {
            Set<GuestRegister> reads = new HashSet<>(a.reads());
            reads.removeAll(a.writes());
            reads.remove(arch.flags());
            return new RegisterAccess(reads, a.writes(), a.readsMemory(), a.writesMemory());
        }
        return a;
    }

    /** {@code xor eax, eax}, {@code sub rax, rax}, {@code eor w1, w1, w1}: no real read of the register. */
    private static boolean isZeroIdiom(Instruction insn) {
        String m = insn.mnemonic();
        if (!(m.equals("xor") || m.equals("sub") || m.equals("eor") || m.equals("pxor"))) {
            return false;
        }
        String[] ops = insn.operands().replace(" ", "").split(",");
        return ops.length >= 2 && ops[0].equals(ops[1]) && (ops.length == 2 || ops[2].equals(ops[0]));
    }

    private LocatedFinding at(long pc, Finding f) {
        return new LocatedFinding(f, probe.siteOf(pc));
    }

    String loc(long address) {
        return probe.machine().symbolize(address) + " (" + instruction(address).text() + ")";
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private Set<GuestRegister> generalRegisters() {
        Set<GuestRegister> s = new HashSet<>(arch.registers());
        s.remove(arch.programCounter());
        s.remove(arch.stackPointer());
        s.remove(arch.flags());
        return s;
    }

    /** Index of the first instruction after {@code from} that reads or writes {@code r}, and whether it reads. */
    Optional<int[]> firstUse(int from, GuestRegister r) {
        return firstUse(from, r, false);
    }

    /**
     * As {@link #firstUse(int, GuestRegister)}; with {@code throughMayChange} a later trap whose contract merely
     * permits the hypervisor to change {@code r} does not end the value's life (the model leaves it alone, so
     * the value the code relied on reaches the next read).
     */
    Optional<int[]> firstUse(int from, GuestRegister r, boolean throughMayChange) {
        for (int i = from; i < path.length(); i++) {
            Optional<ExecutionPath.TrapMark> trap = path.trapAt(i);
            if (trap.isPresent()) {
                // A later hypercall reads the register if its contract makes it an input, and ends the
                // value's life if the hypervisor may change it; otherwise the value passes through.
                Optional<RegisterContract> c = trap.get().record().outcome().flatMap(o -> o.contract());
                // The trap instruction reads its own operands (DX of an IN) whatever the contract says, e.g. when
                // the model answers an IN on a port it does not own. Flags are left to the contract: a string
                // instruction "reads" DF, which no hypervisor answer depends on.
                boolean operand = r != arch.flags() && access(path.address(i)).reads().contains(r);
                if (operand || c.isPresent() && c.get().role(r).isInput()) {
                    return Optional.of(new int[] {i, 1});
                }
                if (c.isEmpty()) {
                    return Optional.of(new int[] {i, 0});
                }
                RegisterContract.Effect effect = c.get().role(r).effect();
                if (effect == RegisterContract.Effect.WRITTEN
                        || effect == RegisterContract.Effect.MAY_CHANGE && !throughMayChange) {
                    return Optional.of(new int[] {i, 0});
                }
                continue;
            }
            RegisterAccess a = access(path.address(i));
            if (a.reads().contains(r)) {
                return Optional.of(new int[] {i, 1});
            }
            if (a.writes().contains(r)) {
                return Optional.of(new int[] {i, 0});
            }
        }
        return Optional.empty();
    }

    /**
     * Index of the first instruction after {@code from} that may read bits 63:32 of {@code r} (it names the whole
     * register, or reads it implicitly; a later trap whose contract takes bits 63:32 as input), and whether it reads:
     * an instruction that reads only {@code esi}/{@code w1} is no consumer and the value lives on; a write of the
     * whole or the 32-bit register ends it (a 32-bit write zero-extends). A trap ends it where the hypervisor writes
     * the register, not where it merely may change it (the bisection run leaves it alone).
     */
    Optional<int[]> firstUpperHalfUse(int from, GuestRegister r) {
        for (int i = from; i < path.length(); i++) {
            Instruction insn = instruction(path.address(i));
            Optional<ExecutionPath.TrapMark> trap = path.trapAt(i);
            if (trap.isPresent()) {
                Optional<RegisterContract> c = trap.get().record().outcome().flatMap(o -> o.contract());
                boolean operand = access(path.address(i)).reads().contains(r)
                        && io.hvprobe.disasm.OperandRegisters.namedWidths(arch, insn, r).contains(64);
                if (operand || c.isPresent() && (c.get().role(r).inputMask() >>> 32) != 0) {
                    return Optional.of(new int[] {i, 1});
                }
                if (c.isEmpty() || c.get().role(r).effect() == RegisterContract.Effect.WRITTEN) {
                    return Optional.of(new int[] {i, 0});
                }
                continue;
            }
            RegisterAccess a = access(path.address(i));
            if (a.reads().contains(r) && io.hvprobe.disasm.OperandRegisters.mayUseUpperHalf(arch, insn, r)) {
                return Optional.of(new int[] {i, 1});
            }
            if (a.writes().contains(r)) {
                java.util.Set<Integer> w = io.hvprobe.disasm.OperandRegisters.namedWidths(arch, insn, r);
                if (w.isEmpty() || w.contains(64) || w.contains(32)) {
                    return Optional.of(new int[] {i, 0});
                }
            }
        }
        return Optional.empty();
    }

    /** Where the value {@code r} holds at path index {@code index} was last written, or "function entry". */
    private String lastWriter(int index, GuestRegister r) {
        // Traps come in path order: scan back only to the previous query for r, so a long path with many traps
        // costs one pass instead of one pass per trap.
        int[] known = lastWriters.get(r);
        int stop = known != null && known[0] <= index ? known[0] : 0;
        int found = -1;
        for (int i = index - 1; i >= stop; i--) {
            if (access(path.address(i)).writes().contains(r)) {
                found = i;
                break;
            }
        }
        if (found < 0 && stop > 0) {
            found = known[1];
        }
        lastWriters.put(r, new int[] {index, found});
        return found < 0 ? "function entry" : loc(path.address(found));
    }

    /**
     * Live-across: a register the contract lets the hypervisor change, that the code reads after the trap
     * without rewriting it. Returned as {@code confirmed} when the binary alone proves the compiler relied
     * on the value surviving; as {@code unconfirmed} when a correct wrapper that declares the register as
     * an output would compile to the same code (only a failed expectation can tell the two apart).
     *
     * <ul>
     *   <li>may-change (undefined value), not an input: confirmed warning {@code hvprobe.clobber.may-change}
     *       — reading an undefined value is wrong whatever the asm declares;</li>
     *   <li>written (defined value): unconfirmed {@code hvprobe.clobber.written} ("consumes R after the trap;
     *       the hypervisor writes R for CMD"). Wrappers pass in1 in EBX/X1 even to commands that ignore it
     *       and read the output back from the same register, so neither "set before" nor "is an input"
     *       separates a consumed output from a value believed preserved.</li>
     * </ul>
     */
    LiveAcross liveAcross() {
        List<LocatedFinding> confirmed = new ArrayList<>();
        List<LocatedFinding> unconfirmed = new ArrayList<>();
        for (ExecutionPath.TrapMark t : path.traps()) {
            Optional<RegisterContract> c = t.record().outcome().flatMap(o -> o.contract());
            if (c.isEmpty()) {
                continue;
            }
            for (GuestRegister r : c.get().clobbered()) {
                if (!generalRegisters().contains(r)) {
                    continue;
                }
                boolean input = c.get().role(r).isInput();
                boolean written = c.get().role(r).effect() == RegisterContract.Effect.WRITTEN;
                if (input && !written) {
                    continue;
                }
                Optional<int[]> use = firstUse(t.index() + 1, r);
                if (use.isEmpty() || use.get()[1] == 0) {
                    continue;
                }
                long pc = t.record().event().pc();
                long readAt = path.address(use.get()[0]);
                String setAt = lastWriter(t.index(), r);
                Map<String, String> ev = new TreeMap<>();
                ev.put("register", r.displayName());
                ev.put("command", t.record().command());
                ev.put("hypercall", Long.toString(t.record().event().sequence()));
                ev.put("set-at", setAt);
                ev.put("read-at", loc(readAt));
                ev.put("before", hex(t.record().event().registers().get(r)));
                ev.put("after", hex(t.record().after().get(r)));
                String where = probe.machine().symbolize(readAt);
                if (!written) {
                    confirmed.add(at(pc, CoreRule.CLOBBER_MAY_CHANGE.finding(
                            String.format(Locale.ROOT, "%s is live across the trap (read at %s) but %s may change it;"
                                    + " declare it clobbered in the asm", r.displayName(), where, t.record().command()),
                            ev)));
                } else {
                    unconfirmed.add(at(pc, CoreRule.CLOBBER_WRITTEN.finding(
                            String.format(Locale.ROOT, "consumes %s after the trap (at %s); the hypervisor writes %s for %s"
                                            + " — if the code expects its old value, declare it an output of the asm",
                                    r.displayName(), where, r.displayName(), t.record().command()), ev)));
                }
            }
        }
        return new LiveAcross(confirmed, unconfirmed);
    }

    /** Live-across results: proven from the binary, and candidates that need a failed expectation. */
    record LiveAcross(List<LocatedFinding> confirmed, List<LocatedFinding> unconfirmed) {
    }

    /**
     * A value the code loaded from guest memory before a trap, used after the trap although the hypervisor
     * rewrote that memory with different bytes during it: the asm did not tell the compiler that memory
     * changes (no {@code "memory"} clobber), so the compiler reused the stale copy it held in a register.
     * Tracked by value, so a register swapped out and back around the template (the HB {@code xchg} of RBP)
     * still counts; saves to the stack and swaps themselves are not "uses".
     */
    List<LocatedFinding> staleMemoryReads() {
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
                if (++staleWork > STALE_WORK_LIMIT) {
                    staleLimited = true;
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
                for (GuestRegister d : access(loadPc).writes()) {
                    if (!generalRegisters().contains(d)) {
                        continue;
                    }
                    long stale = path.register(loadIndex + 1, d);
                    if ((stale & mask) == (fresh & mask)) {
                        continue; // the hypervisor wrote what the register already holds: nothing is stale
                    }
                    if (reported.contains(t.index() + ":" + d)) {
                        continue;
                    }
                    int use = staleUse(t.index() + 1, d, stale);
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
                    ev.put("loaded-at", loc(loadPc));
                    ev.put("used-at", loc(usePc));
                    ev.put("command", t.record().command());
                    out.add(at(t.record().event().pc(), CoreRule.MEMORY_CLOBBER_MISSING.finding(
                            String.format(Locale.ROOT, "%s holds %s loaded from %s at %s before the trap; %s wrote %s"
                                            + " there, but the code uses the stale copy at %s (missing \"memory\" clobber?)",
                                    d.displayName(), hex(stale & mask), hex(a), probe.machine().symbolize(loadPc),
                                    t.record().command(), hex(fresh & mask), probe.machine().symbolize(usePc)), ev)));
                }
            }
        }
        return out;
    }

    /** Whether {@link #staleMemoryReads()} stopped at {@link #STALE_WORK_LIMIT}. */
    boolean staleMemoryLimited() {
        return staleLimited;
    }

    /** First instruction from {@code from} that computes with {@code r} while it still holds {@code value}. */
    private int staleUse(int from, GuestRegister r, long value) {
        for (int i = from; i < path.length(); i++) {
            if (++staleWork > STALE_WORK_LIMIT) {
                staleLimited = true;
                return -1;
            }
            if (path.isTrapAt(i) || path.register(i, r) != value) {
                continue;
            }
            RegisterAccess a = access(path.address(i));
            if (a.reads().contains(r) && !a.writes().contains(r) && !a.writesMemory()) {
                return i;
            }
        }
        return -1;
    }

    /** The bytes the hypervisor wrote over {@code [a, a + size)}, when one write covers the whole range. */
    private static Optional<byte[]> bytesWritten(List<io.hvprobe.spi.MemoryWrite> writes, long a, int size) {
        for (io.hvprobe.spi.MemoryWrite w : writes) {
            if (a >= w.address() && a + size <= w.address() + w.length()) {
                byte[] data = w.data();
                return Optional.of(java.util.Arrays.copyOfRange(data, (int) (a - w.address()),
                        (int) (a - w.address()) + size));
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

    /** Flags set before a trap and read after it, when the contract lets the hypervisor change them. */
    List<LocatedFinding> flagsAcross() {
        List<LocatedFinding> out = new ArrayList<>();
        GuestRegister flags = arch.flags();
        for (ExecutionPath.TrapMark t : path.traps()) {
            Optional<RegisterContract> c = t.record().outcome().flatMap(o -> o.contract());
            if (c.isEmpty() || c.get().role(flags).effect() == RegisterContract.Effect.PRESERVED) {
                continue;
            }
            Optional<int[]> use = firstUse(t.index() + 1, flags);
            if (use.isPresent() && use.get()[1] == 1) {
                long readAt = path.address(use.get()[0]);
                out.add(at(t.record().event().pc(), CoreRule.FLAGS_CONSUMED.finding(
                        String.format(Locale.ROOT, "flags set before the trap are read at %s, but %s may change them;"
                                + " %s", probe.machine().symbolize(readAt), t.record().command(), Advice.flags(arch)),
                        Map.of("register", flags.displayName(), "read-at", loc(readAt),
                                "set-at", lastWriter(t.index(), flags), "command", t.record().command()))));
            }
        }
        return out;
    }

    /** Inputs whose upper bits the hypervisor ignores but that are not zero. */
    List<LocatedFinding> truncatedInputs() {
        List<LocatedFinding> out = new ArrayList<>();
        for (ExecutionPath.TrapMark t : path.traps()) {
            Optional<RegisterContract> c = t.record().outcome().flatMap(o -> o.contract());
            if (c.isEmpty()) {
                continue;
            }
            Set<String> reportedByModel = new HashSet<>();
            t.record().findings().forEach(f -> {
                String r = f.evidence().get("register");
                if (r != null) {
                    reportedByModel.add(r.toLowerCase(Locale.ROOT));
                }
            });
            for (Map.Entry<GuestRegister, RegisterContract.Role> e : c.get().roles().entrySet()) {
                long mask = e.getValue().inputMask();
                long value = t.record().event().registers().get(e.getKey());
                if (mask == 0 || mask == -1L || (value & ~mask) == 0
                        || reportedByModel.contains(e.getKey().displayName())) {
                    continue;
                }
                out.add(at(t.record().event().pc(), CoreRule.INPUT_TRUNCATED.finding(
                        String.format(Locale.ROOT, "%s = %s has bits the hypervisor ignores for %s (it reads %s)",
                                e.getKey().displayName(), hex(value), t.record().command(), hex(mask)),
                        Map.of("register", e.getKey().displayName(), "value", hex(value), "mask", hex(mask),
                                "lost", hex(value & ~mask)))));
            }
        }
        return out;
    }

    /** Callee-saved registers and the stack pointer at return. */
    List<LocatedFinding> returnChecks() {
        List<LocatedFinding> out = new ArrayList<>();
        if (!(run.call() instanceof CallResult.Returned ret) || path.length() == 0) {
            return out;
        }
        long lastPc = path.address(path.length() - 1);
        Set<GuestRegister> saved = arch.calleeSaved();
        for (GuestRegister r : arch.registers()) {
            if (!saved.contains(r) || r == arch.stackPointer()) {
                continue;
            }
            long expected = GuestMachine.initialValue(r);
            long observed = ret.registers().get(r);
            if (expected != observed) {
                out.add(at(lastPc, CoreRule.CALLEE_SAVED.finding(
                        String.format(Locale.ROOT, "callee-saved %s is %s at return, expected %s",
                                r.displayName(), hex(observed), hex(expected)),
                        Map.of("register", r.displayName(), "expected", hex(expected), "observed", hex(observed),
                                "last-written-at", lastWriter(path.length(), r)))));
            }
        }
        long entrySp = path.register(0, arch.stackPointer());
        long expectedSp = arch == Arch.X86_64 ? entrySp + 8 : entrySp;
        long sp = ret.registers().get(arch.stackPointer());
        if (sp != expectedSp) {
            out.add(at(lastPc, CoreRule.STACK_IMBALANCE.finding(
                    String.format(Locale.ROOT, "stack pointer is %s at return, expected %s (%+d bytes)", hex(sp),
                            hex(expectedSp), sp - expectedSp),
                    Map.of("register", arch.stackPointer().displayName(), "expected", hex(expectedSp),
                            "observed", hex(sp)))));
        }
        return out;
    }

    /**
     * Registers restored or re-materialised right after a trap to the value they had before it, although
     * the contract preserves them: work the compiler did only because the asm declared them clobbered.
     */
    List<LocatedFinding> redundantSaves() {
        List<LocatedFinding> out = new ArrayList<>();
        for (ExecutionPath.TrapMark t : path.traps()) {
            Optional<RegisterContract> c = t.record().outcome().flatMap(o -> o.contract());
            if (c.isEmpty()) {
                continue;
            }
            Set<GuestRegister> clobbered = c.get().clobbered();
            List<String> restored = new ArrayList<>();
            for (GuestRegister r : generalRegisters()) {
                if (clobbered.contains(r)) {
                    continue;
                }
                long before = t.record().event().registers().get(r);
                if (before == GuestMachine.initialValue(r)) {
                    continue; // untouched since entry: restores of it are the epilogue's business
                }
                for (int i = t.index() + 1; i < Math.min(path.length(), t.index() + 1 + RESTORE_WINDOW); i++) {
                    RegisterAccess a = access(path.address(i));
                    if (path.isTrapAt(i) || a.reads().contains(r)) {
                        break;
                    }
                    if (a.writes().contains(r)) {
                        if (path.register(i + 1, r) == before) {
                            restored.add(r.displayName() + " at " + probe.machine().symbolize(path.address(i)));
                        }
                        break;
                    }
                }
            }
            if (!restored.isEmpty()) {
                restored.sort(null);
                out.add(at(t.record().event().pc(), CoreRule.REDUNDANT_SAVE.finding(
                        String.format(Locale.ROOT, "%d register(s) restored after the trap although %s preserves them",
                                restored.size(), t.record().command()),
                        Map.of("restored", String.join(", ", restored), "command", t.record().command()))));
            }
        }
        return out;
    }

    /** Instructions executed; memory accesses, stack depth and callee-saved stores on the recorded path. */
    Cost cost() {
        long reads = 0;
        long writes = 0;
        long minSp = Long.MAX_VALUE;
        Set<GuestRegister> calleeSaved = new HashSet<>(arch.calleeSaved());
        calleeSaved.remove(arch.stackPointer());
        Set<GuestRegister> savedRegs = new HashSet<>();
        for (int i = 0; i < path.length(); i++) {
            RegisterAccess a = access(path.address(i));
            reads += a.readsMemory() ? 1 : 0;
            writes += a.writesMemory() ? 1 : 0;
            minSp = Math.min(minSp, path.register(i, arch.stackPointer()));
            if (a.writesMemory() && a.reads().contains(arch.stackPointer())) {
                for (GuestRegister r : a.reads()) {
                    if (calleeSaved.contains(r) && path.register(i, r) == GuestMachine.initialValue(r)) {
                        savedRegs.add(r);
                    }
                }
            }
        }
        long entrySp = path.length() == 0 ? MemoryLayout.STACK_TOP : path.register(0, arch.stackPointer());
        long depth = path.length() == 0 ? 0 : Math.max(0, entrySp - minSp);
        return new Cost(path.executed(), reads, writes, depth, savedRegs.size(), run.hypercallCount(),
                path.length());
    }
}
