package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MemoryLayout;

import java.util.HashSet;
import java.util.Set;

/** Measures a call's {@link Cost} on its recorded path. */
final class PathCost {
    private PathCost() {
    }

    /** Instructions executed; memory accesses, stack depth and callee-saved stores on the recorded path. */
    static Cost measure(PathQueries q) {
        ExecutionPath path = q.path();
        Arch arch = q.arch();
        long reads = 0;
        long writes = 0;
        long minSp = path.minimum(arch.stackPointer());
        Set<GuestRegister> calleeSaved = new HashSet<>(arch.calleeSaved());
        calleeSaved.remove(arch.stackPointer());
        Set<GuestRegister> savedRegs = new HashSet<>();
        for (int i = 0; i < path.length(); i++) {
            RegisterAccess a = q.access(path.address(i));
            reads += a.readsMemory() ? 1 : 0;
            writes += a.writesMemory() ? 1 : 0;
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
        return new Cost(path.executed(), reads, writes, depth, savedRegs.size(), q.run().hypercallCount(),
                path.length());
    }
}
