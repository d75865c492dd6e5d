package io.hvprobe.api;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.SymbolBinding;
import io.hvprobe.trap.TrapSite;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which functions of an image reach a trap site, through the direct calls and tail jumps between them.
 *
 * <p>Why: a wrapper such as a {@code static} {@code hvp_hc5} that the compiler did not inline holds the trap, but
 * the values it passes to the hypervisor come from its callers. Run on its own with invented arguments it makes
 * the model see nonsense (a buffer address as the command); run through its callers it sees what the driver
 * really sends. {@link #entryFunctions()} therefore lists the functions a caller outside the object can start
 * from: global and weak functions that reach a trap, and local ones that nothing in the object calls directly
 * (reached through a function pointer, or unused).
 */
public final class TrapReach {
    private final List<GuestSymbol> reaching;
    private final List<GuestSymbol> entries;

    private TrapReach(List<GuestSymbol> reaching, List<GuestSymbol> entries) {
        this.reaching = List.copyOf(reaching);
        this.entries = List.copyOf(entries);
    }

    /** Builds the direct-call graph of {@code machine}'s defined functions and follows it back from {@code sites}. */
    static TrapReach of(GuestMachine machine, List<TrapSite> sites) {
        List<GuestSymbol> functions = machine.image().functions();
        Map<Long, GuestSymbol> byAddress = new HashMap<>();
        for (GuestSymbol f : functions) {
            byAddress.putIfAbsent(f.address(), f);
        }
        Map<GuestSymbol, Set<GuestSymbol>> callers = new HashMap<>();
        for (GuestSymbol f : functions) {
            for (GuestSymbol target : directTargets(machine, f, byAddress)) {
                if (!target.equals(f)) {
                    callers.computeIfAbsent(target, k -> new LinkedHashSet<>()).add(f);
                }
            }
        }
        Set<GuestSymbol> reach = new HashSet<>();
        Deque<GuestSymbol> work = new ArrayDeque<>();
        for (GuestSymbol f : functions) {
            if (sites.stream().anyMatch(s -> f.covers(s.address())) && reach.add(f)) {
                work.add(f);
            }
        }
        while (!work.isEmpty()) {
            for (GuestSymbol caller : callers.getOrDefault(work.poll(), Set.of())) {
                if (reach.add(caller)) {
                    work.add(caller);
                }
            }
        }
        List<GuestSymbol> reaching = new ArrayList<>();
        List<GuestSymbol> entries = new ArrayList<>();
        for (GuestSymbol f : functions) {
            if (reach.contains(f)) {
                reaching.add(f);
                if (f.binding() != SymbolBinding.LOCAL || !callers.containsKey(f)) {
                    entries.add(f);
                }
            }
        }
        return new TrapReach(reaching, entries);
    }

    /** Functions that contain a trap site or call (directly, at any depth) one that does, in address order. */
    public List<GuestSymbol> reachingFunctions() {
        return reaching;
    }

    /**
     * The functions to start from so that every reachable trap runs with the arguments its callers give it, in
     * address order: global and weak functions that reach a trap, and local ones no function here calls directly.
     */
    public List<GuestSymbol> entryFunctions() {
        return entries;
    }

    /** Functions that {@code f} calls or tail-jumps to by an immediate target. */
    private static Set<GuestSymbol> directTargets(GuestMachine machine, GuestSymbol f, Map<Long, GuestSymbol> starts) {
        Set<GuestSymbol> out = new LinkedHashSet<>();
        if (f.size() <= 0 || f.size() > Integer.MAX_VALUE) {
            return out;
        }
        byte[] code;
        try {
            code = machine.read(f.address(), (int) f.size());
        } catch (RuntimeException unreadable) {
            return out; // A symbol whose extent is not mapped has no calls to follow.
        }
        Arch arch = machine.arch();
        machine.disassembler().sweep(code, f.address(), insn -> target(arch, insn)
                .filter(t -> !f.covers(t))
                .map(starts::get)
                .ifPresent(out::add));
        return out;
    }

    /** The immediate target of a call or unconditional jump, if {@code insn} is one. */
    static Optional<Long> target(Arch arch, Instruction insn) {
        String m = insn.mnemonic().toLowerCase(Locale.ROOT);
        boolean branch = arch == Arch.X86_64 ? m.equals("call") || m.equals("jmp") : m.equals("bl") || m.equals("b");
        if (!branch || insn.data()) {
            return Optional.empty();
        }
        String op = insn.operands().trim();
        if (op.startsWith("#")) {
            op = op.substring(1);
        }
        if (!op.startsWith("0x")) {
            return Optional.empty(); // register or memory operand: not a direct target
        }
        try {
            return Optional.of(Long.parseUnsignedLong(op.substring(2), 16));
        } catch (NumberFormatException notAnImmediate) {
            return Optional.empty();
        }
    }
}
