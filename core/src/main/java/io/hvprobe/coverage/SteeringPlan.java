package io.hvprobe.coverage;

import io.hvprobe.api.TrapReach;
import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.Segment;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which way each conditional branch must go for a run to reach one trap site: computed from the control-flow
 * graphs of the functions that reach the site through direct calls ({@link TrapReach#functionsReaching}).
 *
 * <p>An instruction <em>leads to</em> the site when the site, or a direct call or tail jump into a function that
 * reaches it, can follow it in its function's control flow; its distance is the fewest instructions to get there.
 * A conditional branch is steered to the successor nearest to the site when that one is strictly nearer than the
 * other (one that does not lead there is infinitely far), so a retry loop that may come back to the site loses to
 * the branch that goes there; branches whose successors are equally near are left alone. Returns, indirect jumps,
 * the kernel's {@code ud2}/{@code brk} (BUG/WARN) and calls to functions that never return ({@link #NO_RETURN})
 * end a path. The graph is built from direct branches only, so a site reached only through a function pointer or
 * a jump table gets no plan.
 */
public final class SteeringPlan {
    /** Most instructions of one function analysed; larger functions are not steered (their branches run freely). */
    static final int MAX_FUNCTION_BYTES = 1 << 20;

    private final long site;
    private final Map<Long, Long> decisions;

    private SteeringPlan(long site, Map<Long, Long> decisions) {
        this.site = site;
        this.decisions = Map.copyOf(decisions);
    }

    /**
     * The plan that steers runs towards the trap site at {@code site}.
     *
     * @param machine the machine holding the loaded image, whose code is read to find the branches
     * @param reach   which functions reach which trap sites through direct calls
     * @param site    the guest address of the trap site to reach
     * @return the plan; empty decisions when no conditional branch lies on the way
     */
    public static SteeringPlan towards(GuestMachine machine, TrapReach reach, long site) {
        List<GuestSymbol> reaching = reach.functionsReaching(site);
        Set<Long> reachingEntries = new HashSet<>();
        reaching.forEach(f -> reachingEntries.add(f.address()));
        Map<Long, Long> decisions = new TreeMap<>();
        for (GuestSymbol f : reaching) {
            decisions.putAll(decide(machine, f, site, reachingEntries));
        }
        return new SteeringPlan(site, decisions);
    }

    /** {@return the guest address of the site this plan steers towards} */
    public long site() {
        return site;
    }

    /** {@return per conditional branch address, the guest address the run must continue at (immutable)} */
    public Map<Long, Long> decisions() {
        return decisions;
    }

    /**
     * One instruction's successors inside its function, whether it is a goal itself, and whether the run may be
     * steered to any one of its successors (a conditional branch; a jump into out-of-line code such as Linux's
     * {@code .altinstr_aux} feature tests, which comes back to one of several places).
     */
    private record Node(List<Long> next, boolean goal, boolean steerable) {
    }

    private static Map<Long, Long> decide(GuestMachine machine, GuestSymbol f, long site, Set<Long> reachingEntries) {
        Optional<Segment> seg = machine.image().segmentAt(f.address());
        long size = seg.map(s -> Math.min(f.size(), s.end() - f.address())).orElse(0L);
        if (size <= 0 || size > MAX_FUNCTION_BYTES) {
            return Map.of();
        }
        List<Instruction> insns = machine.disassembler().disassemble(machine.image().read(f.address(), (int) size),
                f.address());
        Map<Long, Node> nodes = new HashMap<>();
        for (Instruction i : insns) {
            nodes.put(i.address(), node(machine, i, f, site, reachingEntries));
        }
        Map<Long, List<Long>> preds = new HashMap<>();
        Deque<Long> work = new ArrayDeque<>();
        Map<Long, Integer> distance = new HashMap<>();
        for (var e : nodes.entrySet()) {
            for (long n : e.getValue().next()) {
                preds.computeIfAbsent(n, k -> new ArrayList<>()).add(e.getKey());
            }
            if (e.getValue().goal() && distance.putIfAbsent(e.getKey(), 0) == null) {
                work.add(e.getKey());
            }
        }
        for (long entry : reachingEntries) {
            if (!f.covers(entry) && distance.putIfAbsent(entry, 0) == null) {
                work.add(entry); // a conditional tail jump into a function that reaches the site
            }
        }
        // Breadth first from the goals: each instruction's distance (in instructions) to the nearest goal.
        while (!work.isEmpty()) {
            long at = work.poll();
            int d = distance.get(at) + 1;
            for (long p : preds.getOrDefault(at, List.of())) {
                if (distance.putIfAbsent(p, d) == null) {
                    work.add(p);
                }
            }
        }
        Map<Long, Long> out = new HashMap<>();
        for (var e : nodes.entrySet()) {
            Node n = e.getValue();
            if (!n.steerable() || n.goal() || !distance.containsKey(e.getKey())) {
                continue;
            }
            // The successor nearest to the site, when it is strictly nearer than every other one (a successor
            // that does not lead there at all is infinitely far): a branch that merely may come back to the site
            // (a retry loop) loses to one that goes there.
            long best = -1;
            int bestDistance = Integer.MAX_VALUE;
            boolean tie = false;
            for (long next : n.next()) {
                int d = distance.getOrDefault(next, Integer.MAX_VALUE);
                if (d < bestDistance) {
                    best = next;
                    bestDistance = d;
                    tie = false;
                } else if (d == bestDistance) {
                    tie = true;
                }
            }
            if (!tie && bestDistance != Integer.MAX_VALUE) {
                out.put(e.getKey(), best);
            }
        }
        return out;
    }

    private static Node node(GuestMachine machine, Instruction i, GuestSymbol f, long site,
                             Set<Long> reachingEntries) {
        Arch arch = machine.arch();
        long next = i.address() + i.bytes().length;
        if (i.data()) {
            return new Node(List.of(), false, false);
        }
        String m = i.mnemonic().toLowerCase(Locale.ROOT);
        Optional<Long> target = lastImmediate(i.operands());
        boolean goal = i.address() == site;
        return switch (kind(arch, m)) {
            case CALL -> new Node(target.filter(t -> noReturn(machine, t)).isPresent() ? List.of() : List.of(next),
                    goal || target.map(reachingEntries::contains).orElse(false), false);
            case JUMP -> {
                if (target.isEmpty()) {
                    yield new Node(List.of(), goal, false);
                }
                if (f.covers(target.get()) || reachingEntries.contains(target.get())) {
                    yield new Node(List.of(target.get()), goal, false);
                }
                List<Long> back = machine.functionAt(target.get()).isPresent() ? List.of()
                        : returnsInto(machine, target.get(), f);
                yield new Node(back, goal, back.size() > 1);
            }
            case CONDITIONAL -> target.isEmpty() ? new Node(List.of(next), goal, false)
                    : new Node(List.of(next, target.get()), goal, true);
            case END -> new Node(List.of(), goal, false);
            case OTHER -> new Node(List.of(next), goal, false);
        };
    }

    /**
     * Kernel and C-library functions that never return (the compiler places unrelated code after a call to them):
     * a call to one, directly or through its PLT entry, ends a path. Names of the APIs, not of any one build.
     */
    static final Set<String> NO_RETURN = Set.of("__stack_chk_fail", "panic", "do_exit", "make_task_dead",
            "kthread_exit", "__fortify_panic", "fortify_panic", "__ubsan_handle_builtin_unreachable", "BUG_func",
            "usercopy_abort", "__module_put_and_kthread_exit", "rust_begin_unwind", "abort", "exit", "_exit", "_Exit",
            "__assert_fail", "__chk_fail", "__longjmp_chk", "longjmp", "siglongjmp");

    private static boolean noReturn(GuestMachine machine, long target) {
        return PltSlots.stubCalled(machine.image(), target).map(stub -> NO_RETURN.contains(stub.name())).orElse(false);
    }

    /** Most instructions of out-of-line code followed back into the function. */
    static final int MAX_OUT_OF_LINE = 16;

    /**
     * Where out-of-line code at {@code address} outside every function (e.g. an {@code .altinstr_aux} CPU-feature
     * test) jumps back into {@code f}: the immediate branch targets inside {@code f} of its first instructions, up
     * to an unconditional jump or return.
     */
    private static List<Long> returnsInto(GuestMachine machine, long address, GuestSymbol f) {
        Optional<Segment> seg = machine.image().segmentAt(address);
        if (seg.isEmpty() || !seg.get().permissions().execute()) {
            return List.of();
        }
        int length = (int) Math.min(MAX_OUT_OF_LINE * 15L, seg.get().end() - address);
        List<Long> out = new ArrayList<>();
        int seen = 0;
        for (Instruction i : machine.disassembler().disassemble(machine.image().read(address, length), address)) {
            if (i.data() || seen++ >= MAX_OUT_OF_LINE) {
                break;
            }
            Kind k = kind(machine.arch(), i.mnemonic().toLowerCase(Locale.ROOT));
            lastImmediate(i.operands()).filter(t -> k == Kind.JUMP || k == Kind.CONDITIONAL).filter(f::covers)
                    .filter(t -> !out.contains(t)).ifPresent(out::add);
            if (k == Kind.JUMP || k == Kind.END) {
                break;
            }
        }
        return out;
    }

    private enum Kind { CALL, JUMP, CONDITIONAL, END, OTHER }

    private static Kind kind(Arch arch, String m) {
        return switch (arch) {
            case X86_64 -> switch (m) {
                case "call" -> Kind.CALL;
                case "jmp" -> Kind.JUMP;
                case "ret", "retf", "ud2", "int3", "hlt", "iretq" -> Kind.END;
                default -> m.startsWith("j") || m.startsWith("loop") ? Kind.CONDITIONAL : Kind.OTHER;
            };
            case ARM64 -> switch (m) {
                case "bl" -> Kind.CALL;
                case "b" -> Kind.JUMP;
                case "ret", "br", "brk", "eret" -> Kind.END;
                case "cbz", "cbnz", "tbz", "tbnz" -> Kind.CONDITIONAL;
                default -> m.startsWith("b.") ? Kind.CONDITIONAL : Kind.OTHER;
            };
        };
    }

    /** The immediate branch target: the last operand when it is {@code 0x...} or {@code #0x...}. */
    private static Optional<Long> lastImmediate(String operands) {
        String op = operands.trim();
        int comma = op.lastIndexOf(',');
        op = (comma >= 0 ? op.substring(comma + 1) : op).trim();
        if (op.startsWith("#")) {
            op = op.substring(1);
        }
        if (!op.startsWith("0x")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseUnsignedLong(op.substring(2), 16));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
