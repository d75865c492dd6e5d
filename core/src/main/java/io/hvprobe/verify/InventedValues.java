package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.loader.Segment;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterContract;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which register values on a recorded path may derive from invented inputs: a forward data-flow pass over the
 * one executed path. Invented are the registers at entry (the arguments), and memory the run read before writing
 * it unless it lies in a read-only segment of the image (so: argument buffers, zero pages, .data/.bss, heap, the
 * caller's stack). An instruction that reads an invented register or invented bytes makes everything it writes
 * invented; a register changed by something the path did not record (a stub, an exception handler) is invented.
 * The hypervisor's answer is invented only when an input of its contract was. The stack and program counters
 * are never values here.
 *
 * <p>The pass over-approximates (an address computed from an invented pointer makes the loaded value invented):
 * the answer "may derive from invented inputs" errs towards a note, never towards an error.
 */
final class InventedValues {
    private final Arch arch;
    private final List<? extends GuestRegister> registers;
    private final List<Segment> readOnly;
    /** Per 8-byte word of memory the run wrote: bits 15:8 which bytes were written, bits 7:0 which are invented. */
    private final Map<Long, Integer> memory = new HashMap<>();
    /** Per trap (by path index), which registers held invented values when the hypervisor saw them. */
    /** Per trap address, what each register held at its traps on the path: one bit per register, any trap. */
    private final Map<Long, boolean[]> byPc = new HashMap<>();
    private final ExecutionPath path;

    private InventedValues(Probe probe, ExecutionPath path) {
        this.arch = path.arch();
        this.registers = arch.registers();
        this.path = path;
        this.readOnly = probe.image().segments().stream().filter(s -> !s.permissions().write()).toList();
    }

    /** The pass over {@code path}, with register accesses from {@code analysis}. */
    static InventedValues of(Probe probe, ExecutionPath path, PathQueries analysis) {
        InventedValues v = new InventedValues(probe, path);
        v.run(analysis);
        return v;
    }

    /**
     * Whether {@code register} may have held an invented value at a trap at {@code pc}: true when any trap of the
     * path at that address did, or when the path has no trap there (recorded only in part: assume it may).
     */
    boolean mayBeInvented(long pc, GuestRegister register) {
        boolean[] any = byPc.get(pc);
        return any == null || any[register.index()];
    }

    private void run(PathQueries analysis) {
        boolean[] invented = new boolean[registers.size()];
        for (GuestRegister r : registers) {
            invented[r.index()] = value(r);
        }
        int read = 0;
        int write = 0;
        for (int i = 0; i < path.length(); i++) {
            Optional<ExecutionPath.TrapMark> trap = path.trapAt(i);
            boolean[] written = new boolean[registers.size()];
            if (trap.isPresent()) {
                boolean[] any = byPc.computeIfAbsent(trap.get().record().event().pc(), pc -> new boolean[invented.length]);
                for (int r = 0; r < invented.length; r++) {
                    any[r] |= invented[r];
                }
                trapAnswer(trap.get(), invented, written);
            } else {
                RegisterAccess a = analysis.access(path.address(i));
                boolean from = false;
                for (GuestRegister r : a.reads()) {
                    from |= value(r) && invented[r.index()];
                }
                for (; read < path.readCount() && path.readIndex(read) <= i; read++) {
                    if (path.readIndex(read) == i) {
                        from |= bytesInvented(path.readAddress(read), path.readSize(read));
                    }
                }
                for (GuestRegister r : a.writes()) {
                    if (value(r)) {
                        invented[r.index()] = from;
                        written[r.index()] = true;
                    }
                }
                for (; write < path.writeCount() && path.writeIndex(write) <= i; write++) {
                    if (path.writeIndex(write) == i) {
                        store(path.writeAddress(write), path.writeSize(write), from);
                    }
                }
            }
            // What changed without this instruction writing it was written by code the path did not record.
            for (GuestRegister r : registers) {
                if (value(r) && !written[r.index()] && path.register(i + 1, r) != path.register(i, r)) {
                    invented[r.index()] = true;
                }
            }
        }
    }

    /** The hypervisor's outputs are invented when any input of the contract was. */
    private void trapAnswer(ExecutionPath.TrapMark t, boolean[] invented, boolean[] written) {
        Optional<RegisterContract> c = t.record().outcome().flatMap(o -> o.contract());
        boolean from = c.isEmpty();
        if (c.isPresent()) {
            for (GuestRegister r : c.get().inputs()) {
                from |= value(r) && invented[r.index()];
            }
        }
        for (io.hvprobe.spi.RegisterWrite w : t.record().applied()) {
            if (value(w.register())) {
                invented[w.register().index()] = from;
                written[w.register().index()] = true;
            }
        }
        for (MemoryWrite m : t.record().outcome().map(o -> o.memoryWrites()).orElse(List.of())) {
            store(m.address(), m.length(), from);
        }
    }

    private boolean value(GuestRegister r) {
        return r != arch.programCounter() && r != arch.stackPointer();
    }

    private void store(long address, long size, boolean invented) {
        for (long a = address; a < address + size; a++) {
            long word = a & ~7L;
            int bit = 1 << (int) (a & 7);
            memory.merge(word, (bit << 8) | (invented ? bit : 0),
                    (old, b) -> (old | (b & 0xFF00)) & ~(b >>> 8 & 0xFF) | (b & 0xFF));
        }
    }

    private boolean bytesInvented(long address, int size) {
        for (long a = address; a < address + size; a++) {
            Integer w = memory.get(a & ~7L);
            int bit = 1 << (int) (a & 7);
            if (w != null && (w & (bit << 8)) != 0) {
                if ((w & bit) != 0) {
                    return true;
                }
            } else if (!inReadOnlyImage(a)) {
                return true;
            }
        }
        return false;
    }

    private boolean inReadOnlyImage(long a) {
        for (Segment s : readOnly) {
            if (a >= s.address() && a < s.end()) {
                return true;
            }
        }
        return false;
    }
}
