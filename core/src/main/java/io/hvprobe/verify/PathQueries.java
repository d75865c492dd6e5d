package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.disasm.OperandRegisters;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterContract;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the verifier's rules ask of one recorded run: where a register is next used or was last written on the
 * path, how to name an address, where a finding is located.
 */
final class PathQueries {
    /**
     * The first instruction from a starting point that uses a register.
     *
     * @param index its position on the path
     * @param reads whether it reads the value (else it ends the value's life by writing the register)
     */
    record Use(int index, boolean reads) {
    }

    private final Probe probe;
    private final ExecutionPath path;
    private final RunResult run;
    private final Arch arch;
    private final DecodedInstructions decoded;
    /** Per register: the path index of the last {@link #lastWriter} query and the writer found (-1: none). */
    private final Map<GuestRegister, int[]> lastWriters = new HashMap<>();
    private final Set<GuestRegister> generalRegisters;
    private final Map<RegisterContract, Set<GuestRegister>> clobbered = new java.util.IdentityHashMap<>();

    /** Queries of {@code path}, recorded in {@code run}, with instructions decoded by {@code decoded}. */
    PathQueries(Probe probe, ExecutionPath path, RunResult run, DecodedInstructions decoded) {
        this.probe = probe;
        this.path = path;
        this.run = run;
        this.arch = probe.machine().arch();
        this.decoded = decoded;
        Set<GuestRegister> general = new HashSet<>(arch.registers());
        general.remove(arch.programCounter());
        general.remove(arch.stackPointer());
        general.remove(arch.flags());
        this.generalRegisters = java.util.Collections.unmodifiableSet(general);
    }

    /** The recorded path. */
    ExecutionPath path() {
        return path;
    }

    /** The run the path was recorded in. */
    RunResult run() {
        return run;
    }

    /** The guest's architecture. */
    Arch arch() {
        return arch;
    }

    /** Instruction at {@code address}. */
    Instruction instruction(long address) {
        return decoded.instruction(address);
    }

    /** Registers read/written by the instruction at {@code address}, zero idioms counted as writes only. */
    RegisterAccess access(long address) {
        return decoded.access(address);
    }

    /** The symbol-relative name of {@code address}. */
    String symbolize(long address) {
        return probe.machine().symbolize(address);
    }

    /** {@code address} named with its instruction, for evidence: {@code f+0x12 (mov eax, ebx)}. */
    String loc(long address) {
        return symbolize(address) + " (" + instruction(address).text() + ")";
    }

    /** {@code f} located at the instruction at {@code pc}. */
    LocatedFinding at(long pc, Finding f) {
        return new LocatedFinding(f, probe.siteOf(pc));
    }

    /** {@code 0x...} for evidence and messages. */
    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** The general registers: all but the program counter, the stack pointer and the flags. */
    Set<GuestRegister> generalRegisters() {
        return generalRegisters;
    }

    /**
     * The registers {@code c} lets the hypervisor change (written or may-change), computed once per contract: the
     * models share one contract object per command, and the trap rules ask at every trap.
     */
    Set<GuestRegister> clobbered(RegisterContract c) {
        if (clobbered.size() >= 4096) {
            clobbered.clear(); // a model that builds a contract per trap: stay bounded
        }
        return clobbered.computeIfAbsent(c, k -> java.util.Collections.unmodifiableSet(k.clobbered()));
    }

    /** The register contract of the command the model decoded at trap {@code t}, if it gave one. */
    static Optional<RegisterContract> contract(ExecutionPath.TrapMark t) {
        return t.record().outcome().flatMap(o -> o.contract());
    }

    /** The first instruction after {@code from} that reads or writes {@code r}. */
    Optional<Use> firstUse(int from, GuestRegister r) {
        return firstUse(from, r, false);
    }

    /**
     * As {@link #firstUse(int, GuestRegister)}; with {@code throughMayChange} a later trap whose contract merely
     * permits the hypervisor to change {@code r} does not end the value's life (the model leaves it alone, so
     * the value the code relied on reaches the next read).
     */
    Optional<Use> firstUse(int from, GuestRegister r, boolean throughMayChange) {
        for (int i = from; i < path.length(); i++) {
            Optional<ExecutionPath.TrapMark> trap = path.trapAt(i);
            if (trap.isPresent()) {
                // A later hypercall reads the register if its contract makes it an input, and ends the
                // value's life if the hypervisor may change it; otherwise the value passes through.
                Optional<RegisterContract> c = contract(trap.get());
                // The trap instruction reads its own operands (DX of an IN) whatever the contract says, e.g. when
                // the model answers an IN on a port it does not own. Flags are left to the contract: a string
                // instruction "reads" DF, which no hypervisor answer depends on.
                boolean operand = r != arch.flags() && access(path.address(i)).reads().contains(r);
                if (operand || c.isPresent() && c.get().role(r).isInput()) {
                    return Optional.of(new Use(i, true));
                }
                if (c.isEmpty()) {
                    return Optional.of(new Use(i, false));
                }
                RegisterContract.Effect effect = c.get().role(r).effect();
                if (effect == RegisterContract.Effect.WRITTEN
                        || effect == RegisterContract.Effect.MAY_CHANGE && !throughMayChange) {
                    return Optional.of(new Use(i, false));
                }
                continue;
            }
            RegisterAccess a = access(path.address(i));
            if (a.reads().contains(r)) {
                return Optional.of(new Use(i, true));
            }
            if (a.writes().contains(r)) {
                return Optional.of(new Use(i, false));
            }
        }
        return Optional.empty();
    }

    /**
     * The first instruction after {@code from} that may read bits 63:32 of {@code r} (it names the whole register,
     * or reads it implicitly; a later trap whose contract takes bits 63:32 as input), or ends the value: an
     * instruction that reads only {@code esi}/{@code w1} is no consumer and the value lives on; a write of the whole
     * or the 32-bit register ends it (a 32-bit write zero-extends). A trap ends it where the hypervisor writes the
     * register, not where it merely may change it (the bisection run leaves it alone).
     */
    Optional<Use> firstUpperHalfUse(int from, GuestRegister r) {
        for (int i = from; i < path.length(); i++) {
            Instruction insn = instruction(path.address(i));
            Optional<ExecutionPath.TrapMark> trap = path.trapAt(i);
            if (trap.isPresent()) {
                Optional<RegisterContract> c = contract(trap.get());
                boolean operand = access(path.address(i)).reads().contains(r)
                        && OperandRegisters.namedWidths(arch, insn, r).contains(64);
                if (operand || c.isPresent() && (c.get().role(r).inputMask() >>> 32) != 0) {
                    return Optional.of(new Use(i, true));
                }
                if (c.isEmpty() || c.get().role(r).effect() == RegisterContract.Effect.WRITTEN) {
                    return Optional.of(new Use(i, false));
                }
                continue;
            }
            RegisterAccess a = access(path.address(i));
            if (a.reads().contains(r) && OperandRegisters.mayUseUpperHalf(arch, insn, r)) {
                return Optional.of(new Use(i, true));
            }
            if (a.writes().contains(r)) {
                Set<Integer> w = OperandRegisters.namedWidths(arch, insn, r);
                if (w.isEmpty() || w.contains(64) || w.contains(32)) {
                    return Optional.of(new Use(i, false));
                }
            }
        }
        return Optional.empty();
    }

    /** Where the value {@code r} holds at path index {@code index} was last written, or "function entry". */
    String lastWriter(int index, GuestRegister r) {
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
}
