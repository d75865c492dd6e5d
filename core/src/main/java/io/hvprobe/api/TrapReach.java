package io.hvprobe.api;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.Segment;
import io.hvprobe.loader.SymbolBinding;
import io.hvprobe.loader.SymbolType;
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
import java.util.TreeMap;
import java.util.TreeSet;

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
    private final List<GuestSymbol> functions;
    private final Map<GuestSymbol, Set<GuestSymbol>> callers;

    private TrapReach(List<GuestSymbol> reaching, List<GuestSymbol> entries, List<GuestSymbol> functions,
                      Map<GuestSymbol, Set<GuestSymbol>> callers) {
        this.reaching = List.copyOf(reaching);
        this.entries = List.copyOf(entries);
        this.functions = functions;
        this.callers = callers;
    }

    /**
     * Most bytes swept for the call graph, as a multiple of the executable bytes of the image (plus
     * {@link #SWEEP_SLACK}): real functions do not overlap, so they sweep each byte about once; hostile symbol
     * tables with thousands of symbols spanning one large section would otherwise cost quadratic work. Functions
     * past the budget are not swept: their calls are unknown, so their callees count as called by nothing and
     * become entries themselves (checked with invented arguments rather than missed).
     */
    static final int SWEEP_FACTOR = 8;
    /** Bytes added to the sweep budget so that small images are never limited. */
    static final long SWEEP_SLACK = 1L << 20;

    /** Builds the direct-call graph of {@code machine}'s defined functions and follows it back from {@code sites}. */
    static TrapReach of(GuestMachine machine, List<TrapSite> sites) {
        long budget = SWEEP_SLACK + SWEEP_FACTOR * machine.image().segments().stream()
                .filter(seg -> seg.permissions().execute()).mapToLong(Segment::size).sum();
        Sweeps sweeps = new Sweeps(machine, budget);
        List<GuestSymbol> functions = withRecovered(machine, machine.image().functions(), sweeps);
        Map<Long, GuestSymbol> byAddress = new HashMap<>();
        for (GuestSymbol f : functions) {
            byAddress.putIfAbsent(f.address(), f);
        }
        Map<GuestSymbol, Set<GuestSymbol>> callers = new HashMap<>();
        for (GuestSymbol f : functions) {
            for (Branch b : sweeps.branches(f)) {
                GuestSymbol target = f.covers(b.at()) && !f.covers(b.target()) ? byAddress.get(b.target()) : null;
                if (target != null && !target.equals(f)) {
                    callers.computeIfAbsent(target, k -> new LinkedHashSet<>()).add(f);
                }
            }
        }
        Set<GuestSymbol> reach = new HashSet<>();
        Deque<GuestSymbol> work = new ArrayDeque<>();
        TreeSet<Long> siteAddresses = new TreeSet<>();
        sites.forEach(site -> siteAddresses.add(site.address()));
        for (GuestSymbol f : functions) {
            Long first = siteAddresses.ceiling(f.address());
            if (first != null && f.covers(first) && reach.add(f)) {
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
        return new TrapReach(reaching, entries, functions, callers);
    }

    /** {@return functions that contain a trap site or call (directly, at any depth) one that does, in address order} */
    public List<GuestSymbol> reachingFunctions() {
        return reaching;
    }

    /**
     * The functions to start from so that every reachable trap runs with the arguments its callers give it, in
     * address order: global and weak functions that reach a trap, and local ones no function here calls directly.
     *
     * @return the entry functions
     */
    public List<GuestSymbol> entryFunctions() {
        return entries;
    }

    /**
     * The functions that reach {@code address} (a trap site) through direct calls and tail jumps: the one holding
     * it and every caller at any depth, in address order.
     *
     * @param address a trap site's guest address
     * @return the functions; empty when no function holds {@code address}
     */
    public List<GuestSymbol> functionsReaching(long address) {
        Set<GuestSymbol> reach = new HashSet<>();
        Deque<GuestSymbol> work = new ArrayDeque<>();
        for (GuestSymbol f : functions) {
            if (f.covers(address) && reach.add(f)) {
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
        return functions.stream().filter(reach::contains).toList();
    }

    /**
     * The entry functions ({@link #entryFunctions()}) that reach {@code address}, in address order.
     *
     * @param address a trap site's guest address
     * @return the entry functions, possibly empty
     */
    public List<GuestSymbol> entriesReaching(long address) {
        Set<GuestSymbol> reach = new HashSet<>(functionsReaching(address));
        return entries.stream().filter(reach::contains).toList();
    }

    /**
     * {@code symbols} plus the functions a stripped object still shows: the targets of direct calls inside a
     * {@code .text} section that no symbol covers (its {@code static} functions, named by section
     * and offset, e.g. {@code .text+0x33f80}), each up to the next function or recovered target, found again in the recovered
     * code until no new target appears. They are local and called, so never entries: their callers run them with
     * real arguments.
     */
    private static List<GuestSymbol> withRecovered(GuestMachine machine, List<GuestSymbol> symbols, Sweeps sweeps) {
        TreeSet<Long> starts = new TreeSet<>();
        symbols.forEach(f -> starts.add(f.address()));
        TreeMap<Long, Long> covered = coverage(symbols);
        Map<Long, GuestSymbol> recovered = new HashMap<>();
        Deque<GuestSymbol> work = new ArrayDeque<>(symbols);
        while (!work.isEmpty()) {
            for (Branch b : sweeps.branches(work.poll())) {
                long t = b.target();
                if (b.call() && !recovered.containsKey(t) && uncovered(machine, covered, t)) {
                    starts.add(t);
                    GuestSymbol f = recoveredAt(machine, t, starts);
                    recovered.put(t, f);
                    work.add(f);
                }
            }
        }
        if (recovered.isEmpty()) {
            return symbols;
        }
        List<GuestSymbol> all = new ArrayList<>(symbols);
        // Final extents: a target found later may start inside one recovered earlier.
        recovered.keySet().forEach(t -> all.add(recoveredAt(machine, t, starts)));
        all.sort(java.util.Comparator.comparingLong(GuestSymbol::address));
        return List.copyOf(all);
    }

    /** The bytes {@code symbols} cover, as disjoint ranges: start to end. */
    private static TreeMap<Long, Long> coverage(List<GuestSymbol> symbols) {
        TreeMap<Long, Long> ranges = new TreeMap<>();
        for (GuestSymbol f : symbols) { // in address order
            var last = ranges.lastEntry();
            long end = f.address() + Math.max(1, f.size());
            if (last != null && f.address() <= last.getValue()) {
                ranges.put(last.getKey(), Math.max(last.getValue(), end));
            } else {
                ranges.put(f.address(), end);
            }
        }
        return ranges;
    }

    /** Whether {@code target} is code in a {@code .text} section outside every function symbol. */
    private static boolean uncovered(GuestMachine machine, TreeMap<Long, Long> covered, long target) {
        var range = covered.floorEntry(target);
        if (range != null && target < range.getValue()) {
            return false;
        }
        return machine.image().sections().stream()
                .anyMatch(s -> s.executable() && s.name().startsWith(".text") && s.contains(target));
    }

    /** The recovered function at {@code start}: up to the next known start or the end of its section. */
    private static GuestSymbol recoveredAt(GuestMachine machine, long start, TreeSet<Long> starts) {
        var section = machine.image().sections().stream().filter(s -> s.contains(start)).findFirst().orElseThrow();
        Long next = starts.higher(start);
        long end = section.address() + section.size();
        if (next != null && next < end) {
            end = next;
        }
        String name = section.name() + "+0x" + Long.toHexString(start - section.address());
        return new GuestSymbol(name, start, end - start, SymbolType.FUNCTION,
                SymbolBinding.LOCAL, section.name());
    }

    /**
     * The direct branches of each function, swept once per start address and length, within a budget of bytes:
     * past it a function's calls are unknown (none).
     */
    private static final class Sweeps {
        private final GuestMachine machine;
        /** Per start address, the longest function starting there: one sweep serves them all. */
        private final Map<Long, Long> longest = new HashMap<>();
        private final Map<Long, List<Branch>> swept = new HashMap<>();
        private long budget;

        Sweeps(GuestMachine machine, long budget) {
            this.machine = machine;
            this.budget = budget;
            machine.image().functions().forEach(f -> longest.merge(f.address(), f.size(), Math::max));
        }

        /** The direct branches in {@code f}'s code (with a longer function at the same start: in that one's). */
        List<Branch> branches(GuestSymbol f) {
            List<Branch> known = swept.get(f.address());
            if (known != null) {
                return known;
            }
            long length = readableLength(machine, f.address(), Math.max(f.size(),
                    longest.getOrDefault(f.address(), 0L)));
            if (length > budget) {
                return List.of();
            }
            budget -= length;
            List<Branch> out = TrapReach.branches(machine, f.address(), (int) length);
            swept.put(f.address(), out);
            return out;
        }
    }

    /** A direct call or jump at {@code at} to {@code target}. */
    private record Branch(long at, long target, boolean call) {
    }

    /**
     * How many of {@code size} bytes from {@code address} the image really holds: the part inside the segment at
     * {@code address}, whatever a symbol's size claims (0 outside every segment).
     */
    private static long readableLength(GuestMachine machine, long address, long size) {
        Optional<Segment> segment = machine.image().segmentAt(address);
        return size <= 0 || segment.isEmpty() ? 0 : Math.min(size, segment.get().end() - address);
    }

    /** The direct calls and jumps in {@code length} bytes of the image from {@code address}. */
    private static List<Branch> branches(GuestMachine machine, long address, int length) {
        List<Branch> out = new ArrayList<>();
        if (length == 0) {
            return out;
        }
        Arch arch = machine.arch();
        machine.disassembler().sweep(machine.image().read(address, length), address,
                insn -> target(arch, insn).ifPresent(t -> out.add(new Branch(insn.address(), t,
                        isCall(arch, insn)))));
        return out;
    }

    private static boolean isCall(Arch arch, Instruction insn) {
        return insn.mnemonic().toLowerCase(Locale.ROOT).equals(arch == Arch.X86_64 ? "call" : "bl");
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
