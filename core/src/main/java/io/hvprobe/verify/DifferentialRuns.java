package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.HypercallRecords;
import io.hvprobe.run.CoreRule;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.trap.TrapInterceptor;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Differential clobber analysis: the same call again, with the hypervisor also poisoning every register,
 * upper half and flag its contract lets it change without defining the value. Any difference in what the
 * function does observably is a finding, bisected to the register responsible and the first instruction
 * that consumed the undefined value.
 */
final class DifferentialRuns {
    private static final int MAX_BISECT_RUNS = 48;
    /** Poisoned runs per seed, each without the values blamed so far. */
    private static final int MAX_ROUNDS = 4;
    /** Contracts whose poison targets are kept at most (see {@link PoisonTargets}). */
    private static final int CONTRACT_CACHE = 4096;
    private static final long X86_ARITH_FLAGS = 0x8D5;
    private static final long ARM64_NZCV = 0xF000_0000L;
    /** {@code consumed-at} of a value poisoned at a trap the baseline path does not reach. */
    static final String OFF_BASELINE = "unknown: the baseline run did not reach this trap";

    /**
     * One poisoned value: at which hypercall (its number in the run, the trap instruction and the command the
     * model decoded there), which register, what kind of poison. The trap site and command are part of the
     * identity: a rerun that takes another path numbers other traps alike, and a finding must name the trap where
     * its value was poisoned even when the baseline path does not reach it.
     */
    record Poison(long sequence, long trapPc, String command, GuestRegister register, PoisonKind kind) {
        // Written out rather than the record's generated ones: a bisection rerun asks its set at every poisonable
        // register of every trap, and the generated methods hash the command's text and go through method handles.
        @Override
        public boolean equals(Object o) {
            return o instanceof Poison p && sequence == p.sequence && trapPc == p.trapPc && register == p.register
                    && kind == p.kind && command.equals(p.command);
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(sequence) * 31 + register.index()) * 31 + kind.ordinal();
        }
    }

    /** What a poisoned value stands for. */
    enum PoisonKind {
        /** A register the contract lets the hypervisor change without defining its value. */
        WHOLE_REGISTER("whole-register"),
        /** The flags the contract lets the hypervisor change. */
        FLAGS("flags"),
        /** Bits 63:32 of a register the hypervisor writes as 32 bits. */
        UPPER_HALF("upper-half");

        private final String label;

        PoisonKind(String label) {
            this.label = label;
        }

        /** The name in evidence ({@code poison}) and in the seed of the poisoned value. */
        String label() {
            return label;
        }
    }

    /** How a run ended, as a caller sees it. */
    sealed interface Outcome {
        /**
         * The function returned {@code value}: the whole return register, or bits 31:0 when the return width is
         * unknown; then {@code upper} holds bits 63:32 (else 0), which the caller may or may not see.
         */
        record Returned(long value, long upper) implements Outcome {
        }

        /** The run faulted. */
        record Faulted(Fault.Kind kind, String location) implements Outcome {
        }

        /** This outcome without bits 63:32 of a return of unknown width: what the caller certainly sees. */
        default Outcome certain() {
            return switch (this) {
                case Returned r -> new Returned(r.value(), 0);
                case Faulted f -> f;
            };
        }

        /** For a report: {@code return 1234}, with bits 63:32 of a return of unknown width, or {@code fault KIND at L}. */
        default String text() {
            return switch (this) {
                case Returned r -> r.upper() == 0 ? "return " + Long.toHexString(r.value())
                        : "return " + Long.toHexString(r.upper()) + String.format(Locale.ROOT, "%08x", r.value());
                case Faulted f -> "fault " + f.kind() + " at " + f.location();
            };
        }
    }

    /** Everything a caller could observe of one run. */
    record Observation(Outcome outcome, List<String> buffers, Map<String, Long> calleeSaved,
                       List<String> hypercallInputs, List<String> memoryWrites) {

        /** Equal in everything the caller certainly observes (bits 63:32 of a return of unknown width aside). */
        boolean sameCertainly(Observation o) {
            return outcome.certain().equals(o.outcome.certain()) && buffers.equals(o.buffers)
                    && calleeSaved.equals(o.calleeSaved) && hypercallInputs.equals(o.hypercallInputs)
                    && memoryWrites.equals(o.memoryWrites);
        }

        /**
         * Equal except in bits 63:32 of 8-byte words stored into memory (out-parameter buffers, memory writes):
         * what differs is the upper half of a whole register stored as a 64-bit word, which matters only if the
         * caller reads that word as 64 bits, and the width of the field is unknown here.
         */
        boolean sameExceptStoredUpperHalves(Observation o) {
            if (!outcome.equals(o.outcome) || !calleeSaved.equals(o.calleeSaved)
                    || !hypercallInputs.equals(o.hypercallInputs) || buffers.size() != o.buffers.size()
                    || memoryWrites.size() != o.memoryWrites.size()) {
                return false;
            }
            for (int i = 0; i < buffers.size(); i++) {
                if (!onlyUpperHalfBytesDiffer(buffers.get(i), o.buffers.get(i))) {
                    return false;
                }
            }
            for (int i = 0; i < memoryWrites.size(); i++) {
                if (!onlyUpperHalfWritten(memoryWrites.get(i), o.memoryWrites.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Two buffers (hex) of the same length differing only in bytes 4..7 of 8-byte words. */
        private static boolean onlyUpperHalfBytesDiffer(String a, String b) {
            if (a.length() != b.length()) {
                return false;
            }
            for (int i = 0; i < a.length(); i++) {
                if (a.charAt(i) != b.charAt(i) && (i / 2) % 8 < 4) {
                    return false;
                }
            }
            return true;
        }

        /** Two memory writes ({@code address:size=value}) equal but for bits 63:32 of an aligned 8-byte store. */
        private static boolean onlyUpperHalfWritten(String a, String b) {
            if (a.equals(b)) {
                return true;
            }
            int ea = a.indexOf('=');
            int eb = b.indexOf('=');
            if (ea < 0 || eb < 0 || !a.substring(0, ea).equals(b.substring(0, eb))
                    || !a.substring(0, ea).endsWith(":8")) {
                return false;
            }
            long address = Long.parseUnsignedLong(a.substring(0, a.indexOf(':')), 16);
            long va = Long.parseUnsignedLong(a.substring(ea + 1), 16);
            long vb = Long.parseUnsignedLong(b.substring(eb + 1), 16);
            return address % 8 == 0 && (va & 0xFFFF_FFFFL) == (vb & 0xFFFF_FFFFL);
        }
    }

    private final Probe probe;
    private final GuestCall call;
    private final ExecutionPath path;
    private final PathQueries analysis;
    private final VerifyOptions options;
    private final Arch arch;
    private final SiteRegisters harmless = new SiteRegisters();
    private final SiteRegisters harmful = new SiteRegisters();
    private final Set<Poison> blamed = new LinkedHashSet<>();
    private final Map<RegisterContract, PoisonTargets> poisonTargets = new java.util.IdentityHashMap<>();
    private final Map<RegisterContract, InputMasks> inputMasks = new java.util.IdentityHashMap<>();
    private final List<LocatedFinding> out = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final WorkMeter work;
    private final RunResult base;
    private final Optional<List<String>> baselineWrites;
    private final Optional<Restart> restart;
    private Observation clean;
    private int bisectRuns;
    private boolean budgetHit;
    private WorkMeter.Stopped stopped;

    /**
     * @param baselineWrites the memory writes {@code base} made, observed as a rerun's are ({@link ObservedWrites}),
     *                       if the baseline observed them all
     * @param restart        where the reruns start instead of the entry, if the baseline gave a point
     */
    DifferentialRuns(Probe probe, GuestCall call, RunResult base, ExecutionPath path,
                     Optional<List<String>> baselineWrites, Optional<Restart> restart,
                     PathQueries analysis, VerifyOptions options, WorkMeter work) {
        this.probe = probe;
        this.restart = restart;
        this.base = base;
        this.baselineWrites = baselineWrites;
        this.work = work;
        this.call = call;
        this.path = path;
        this.analysis = analysis;
        this.options = options;
        this.arch = probe.machine().arch();
    }

    List<LocatedFinding> findings() throws UnknownFunctionException {
        try {
            analyse();
        } catch (WorkMeter.Stopped s) {
            stopped = s;
        }
        return out;
    }

    /** Why the analysis stopped before it was complete (work budget, wall-clock guard), if it did. */
    Optional<WorkMeter.Stopped> stopped() {
        return Optional.ofNullable(stopped);
    }

    private void analyse() throws UnknownFunctionException, WorkMeter.Stopped {
        // No poison at all: the same answers the bisection runs give for every register but the one they test. A
        // rerun without poison repeats the baseline exactly (same start state, inputs and answers; the emulator is
        // deterministic), so the baseline's own observation stands for it, charged to the work budget as the rerun
        // it replaces would be. A baseline longer than its recorded path did not observe its writes: rerun it then.
        if (baselineWrites.isPresent()) {
            work.repeatFirst();
            clean = observation(base, baselineWrites.get(), 0);
        } else {
            clean = observe(NO_POISON, new ArrayList<>());
        }
        for (int run = 1; run <= options.poisonRuns(); run++) {
            long runSeed = options.seed() * 0x9E37_79B9_7F4A_7C15L + run;
            // A blamed value can end the run early (a poisoned port faults the next call) and so hide the values
            // after it: poison again without the blamed ones until nothing new is found.
            for (int round = 0; round < MAX_ROUNDS && !budgetHit; round++) {
                List<Poison> applied = new ArrayList<>();
                Observation poisoned = observe(new SeededPoison(runSeed).except(blamed), applied);
                if (poisoned.equals(clean)) {
                    applied.forEach(harmless::add);
                    break;
                }
                int before = out.size();
                bisect(applied, poisoned, runSeed);
                if (out.size() == before) {
                    break;
                }
            }
        }
    }

    /** Notes on limits the differential analysis hit (bisection budget). */
    List<String> notes() {
        return notes;
    }

    /**
     * Finds the poisons in {@code set} that change an observable result on their own, by halving: a half whose
     * poisoning changes nothing is harmless as a whole, a half that changes something is split again. This
     * needs about 2·k·log2(n) reruns for k responsible values among n, instead of n.
     *
     * @param seen the observation with exactly {@code set} poisoned, or null when not yet run
     */
    private void bisect(List<Poison> set, Observation seen, long runSeed)
            throws UnknownFunctionException, WorkMeter.Stopped {
        Observation o = seen;
        if (o == null) {
            if (bisectRuns >= MAX_BISECT_RUNS) {
                budgetHit = true;
                noteBudget();
                return;
            }
            bisectRuns++;
            o = observe(new SeededPoison(runSeed).among(set), new ArrayList<>());
        }
        if (o.equals(clean)) {
            set.forEach(harmless::add);
            return;
        }
        if (set.size() == 1) {
            Poison p = set.getFirst();
            blamed.add(p);
            harmful.add(p);
            out.add(finding(p, clean, o, List.of()));
            return;
        }
        int found = out.size();
        List<Poison> low = set.subList(0, set.size() / 2);
        List<Poison> high = set.subList(set.size() / 2, set.size());
        bisect(low, null, runSeed);
        bisect(high, null, runSeed);
        if (out.size() == found && !budgetHit) {
            // Neither half alone changes anything, both together do: the values act only in combination.
            Poison p = set.getFirst();
            harmful.add(p);
            out.add(finding(p, clean, o, set.subList(1, set.size())));
        }
    }

    private void noteBudget() {
        String n = "undefined-value bisection stopped after " + MAX_BISECT_RUNS
                + " reruns; some poisoned registers were not tested";
        if (!notes.contains(n)) {
            notes.add(n);
        }
    }

    /**
     * Whether poisoning {@code register} after the trap at {@code trapPc} was tried and never changed anything
     * observable (call {@link #findings()} first).
     */
    boolean provenHarmless(long trapPc, GuestRegister register) {
        return harmless.contains(trapPc, register) && !harmful.contains(trapPc, register);
    }

    /**
     * Registers by trap site, whatever the kind of their poison and whichever pass over the site, as bits by register
     * index: every poison of every harmless run is added (a trap every few instructions adds tens of thousands per
     * run), mostly at the site of the previous one.
     */
    private static final class SiteRegisters {
        private final Map<Long, long[]> bits = new java.util.HashMap<>();
        private long lastPc;
        private long[] last;

        void add(Poison p) {
            if (last == null || lastPc != p.trapPc()) {
                lastPc = p.trapPc();
                last = bits.computeIfAbsent(p.trapPc(), k -> new long[1]);
            }
            last[0] |= 1L << p.register().index();
        }

        boolean contains(long pc, GuestRegister register) {
            long[] b = bits.get(pc);
            return b != null && (b[0] & 1L << register.index()) != 0;
        }
    }

    /** The trap of the baseline path after which {@code p} was applied, if the baseline path reaches it. */
    private Optional<ExecutionPath.TrapMark> trapOf(Poison p) {
        return path.traps().stream().filter(t -> t.record().event().sequence() == p.sequence()
                && t.record().event().pc() == p.trapPc()).findFirst();
    }

    /** The undefined value {@code p} stands for: a register, or bits 63:32 of it. */
    private static String valueName(Poison p) {
        return (p.kind() == PoisonKind.UPPER_HALF ? "bits 63:32 of " : "") + p.register().displayName();
    }

    private LocatedFinding finding(Poison p, Observation clean, Observation poisoned, List<Poison> together) {
        Optional<ExecutionPath.TrapMark> mark = trapOf(p);
        long at = p.trapPc();
        GuestRegister reg = p.register();
        String consumedAt = unreadConsumer(reg, clean, poisoned);
        if (mark.isPresent()) {
            // The bisection run poisons this one value only: later traps end its life only where the model
            // writes the register; where it merely may change it, the poison passes through.
            // Bits 63:32 are consumed only by an instruction that reads the whole register.
            int after = mark.get().index() + 1;
            Optional<PathQueries.Use> use = p.kind() == PoisonKind.UPPER_HALF
                    ? analysis.firstUpperHalfUse(after, reg) : analysis.firstUse(after, reg, true);
            if (use.isPresent() && use.get().reads()) {
                at = path.address(use.get().index());
                consumedAt = analysis.loc(at);
            }
        } else {
            consumedAt = OFF_BASELINE;
        }
        Map<String, String> ev = new TreeMap<>();
        ev.put("register", reg.displayName());
        ev.put("poison", p.kind().label());
        ev.put("command", p.command());
        ev.put("trap", probe.machine().symbolize(p.trapPc()));
        ev.put("consumed-at", consumedAt);
        ev.put("difference", difference(clean, poisoned));
        String what = valueName(p);
        if (!together.isEmpty()) {
            ev.put("together-with", together.stream().map(q -> describe(q)).distinct()
                    .collect(java.util.stream.Collectors.joining(", ")));
            what += " (only together with " + together.size() + " other undefined value(s))";
        }
        Finding f;
        if (mark.isEmpty()) {
            // The reruns reached a trap the baseline run did not: they do not repeat the baseline, so the
            // difference cannot be pinned on the guest code.
            ev.put("baseline", "trap not reached");
            f = CoreRule.UNDEFINED_CONSUMED.finding(String.format(Locale.ROOT,
                    "inconclusive: poisoning %s after %s at %s changed the result, but the baseline run never"
                            + " reached that trap (the reruns took another path than the baseline)",
                    what, p.command(), probe.machine().symbolize(p.trapPc())), ev).withSeverity(Severity.NOTE);
        } else if (poisoned.sameCertainly(clean)) {
            // Only bits 63:32 of a return of unknown width changed: a bug only for a 64-bit return type.
            ev.put("return-width", "unknown");
            f = CoreRule.UNDEFINED_CONSUMED.finding(String.format(Locale.ROOT,
                    "bits 63:32 of the return value depend on %s after %s, which the hypervisor leaves undefined;"
                            + " a bug only if the function returns a 64-bit type (return width unknown)",
                    what, p.command()), ev).withSeverity(Severity.NOTE);
        } else if (p.kind() == PoisonKind.UPPER_HALF && poisoned.sameExceptStoredUpperHalves(clean)) {
            // Only bits 63:32 of whole registers stored as 64-bit words changed (a wrapper copying registers into
            // a struct): a bug only if the caller reads those words as 64 bits, which this run cannot know.
            ev.put("field-width", "unknown");
            f = CoreRule.UNDEFINED_CONSUMED.finding(String.format(Locale.ROOT,
                    "bits 63:32 of 64-bit words stored to memory depend on %s after %s, which the hypervisor leaves"
                            + " undefined; a bug only if the caller reads them as 64-bit fields (field width unknown)",
                    what, p.command()), ev).withSeverity(Severity.NOTE);
        } else {
            f = CoreRule.UNDEFINED_CONSUMED.finding(
                    String.format(Locale.ROOT, "the result depends on %s after %s, which the hypervisor leaves undefined;"
                            + " %s", what, p.command(), remedy(p)), ev);
        }
        return new LocatedFinding(f, probe.siteOf(at));
    }

    /** What to change, by kind of poison. */
    private String remedy(Poison p) {
        return switch (p.kind()) {
            case FLAGS -> Advice.flags(arch);
            case UPPER_HALF -> Advice.upperHalf(p.register());
            case WHOLE_REGISTER -> Advice.register(p.register());
        };
    }

    private static String describe(Poison q) {
        return valueName(q) + " after " + q.command();
    }

    /** Where an undefined value went when no instruction on the path read it after the trap. */
    private String unreadConsumer(GuestRegister reg, Observation clean, Observation poisoned) {
        if (reg == arch.returnRegister() && !clean.outcome().equals(poisoned.outcome())) {
            return "returned unchanged in " + reg.displayName();
        }
        if (!clean.calleeSaved().equals(poisoned.calleeSaved())) {
            return "still in " + reg.displayName() + " at return";
        }
        return "not read by an instruction on the path (reaches an observable result directly)";
    }

    private static String difference(Observation a, Observation b) {
        if (!a.outcome().equals(b.outcome())) {
            return "outcome " + a.outcome().text() + " became " + b.outcome().text();
        }
        if (!a.buffers().equals(b.buffers())) {
            return "out-parameter buffers differ";
        }
        if (!a.calleeSaved().equals(b.calleeSaved())) {
            return "callee-saved registers at return differ";
        }
        if (!a.hypercallInputs().equals(b.hypercallInputs())) {
            return "inputs of a later hypercall differ";
        }
        return "guest memory writes differ";
    }

    /** Decides which poisons a run applies. */
    private interface PoisonPolicy {
        boolean skip(Poison p);

        default long value(Poison p) {
            return 0;
        }

        /**
         * The sequence number of the first trap where a poison may be applied: the run is the baseline before it, so
         * it may start at a point up to there.
         */
        long firstPoisonedTrap();
    }

    /** The baseline's answers: the run repeats it to the end. */
    private static final PoisonPolicy NO_POISON = new PoisonPolicy() {
        @Override
        public boolean skip(Poison p) {
            return true;
        }

        @Override
        public long firstPoisonedTrap() {
            return Long.MAX_VALUE;
        }
    };

    /** Deterministic values from a seed; optionally restricted to one poison. */
    private static final class SeededPoison implements PoisonPolicy {
        private final long seed;
        private final PoisonSet only;
        private final Set<Poison> excluded;

        SeededPoison(long seed) {
            this(seed, null, Set.of());
        }

        private SeededPoison(long seed, PoisonSet only, Set<Poison> excluded) {
            this.seed = seed;
            this.only = only;
            this.excluded = excluded;
        }

        /** The same values, applied only to the poisons in {@code set}. */
        SeededPoison among(java.util.Collection<Poison> set) {
            return new SeededPoison(seed, new PoisonSet(set), Set.of());
        }

        /** The same values, except for the poisons in {@code set}. */
        SeededPoison except(java.util.Collection<Poison> set) {
            return new SeededPoison(seed, only, Set.copyOf(set));
        }

        @Override
        public boolean skip(Poison p) {
            return only != null && !only.contains(p) || !excluded.isEmpty() && excluded.contains(p);
        }

        /** The least sequence number among the poisons it is restricted to; 0 (any trap) when not restricted. */
        @Override
        public long firstPoisonedTrap() {
            return only == null ? 0 : only.first();
        }

        @Override
        public long value(Poison p) {
            long h = seed ^ (p.sequence() * 0xBF58_476D_1CE4_E5B9L) ^ ((long) p.register().index() << 40)
                    ^ p.kind().label().hashCode();
            h = (h ^ (h >>> 31)) * 0x94D0_49BB_1331_11EBL;
            return h ^ (h >>> 29) ^ 0xDEAD_0000_0000_0000L;
        }
    }

    /**
     * The poisons a bisection rerun is restricted to, ordered by their trap's sequence number. A rerun asks at every
     * poisonable register of every trap, in increasing sequence: the lookup walks on from the previous answer, and
     * making the set copies the list instead of hashing each poison (a bisection makes up to 48 of them, the first of
     * half of all the poisons of a run).
     */
    private static final class PoisonSet {
        private final Poison[] poisons;
        /** Where the previous lookup's sequence number starts in {@link #poisons}. */
        private int at;

        PoisonSet(java.util.Collection<Poison> set) {
            poisons = set.toArray(Poison[]::new);
            for (int i = 1; i < poisons.length; i++) {
                if (poisons[i - 1].sequence() > poisons[i].sequence()) {
                    java.util.Arrays.sort(poisons, java.util.Comparator.comparingLong(Poison::sequence));
                    break;
                }
            }
        }

        /** The least sequence number in the set; {@link Long#MAX_VALUE} when empty. */
        long first() {
            return poisons.length == 0 ? Long.MAX_VALUE : poisons[0].sequence();
        }

        boolean contains(Poison p) {
            long sequence = p.sequence();
            if (poisons.length == 0 || sequence < poisons[0].sequence()
                    || sequence > poisons[poisons.length - 1].sequence()) {
                return false;
            }
            if (poisons[at].sequence() > sequence) {
                at = 0; // asked out of order: look from the start
            }
            while (poisons[at].sequence() < sequence) {
                at++;
            }
            while (at > 0 && poisons[at - 1].sequence() == sequence) {
                at--;
            }
            for (int i = at; i < poisons.length && poisons[i].sequence() == sequence; i++) {
                if (poisons[i].equals(p)) {
                    return true;
                }
            }
            return false;
        }
    }

    private Observation observe(PoisonPolicy policy, List<Poison> applied)
            throws UnknownFunctionException, WorkMeter.Stopped {
        TrapInterceptor interceptor = probe.interceptor();
        TrapInterceptor.WriteAdjuster previous = interceptor.writeAdjuster();
        interceptor.setWriteAdjuster((event, outcome, writes) -> poison(event, outcome, writes, policy, applied));
        Instrumentation uc = probe.machine().instrumentation();
        RunResult r = null;
        ObservedWrites memoryWrites = null;
        long startedAt = 0;
        try {
            // From the latest of the baseline's points not after the first trap the run may poison: the run is the
            // baseline up to there. A resumed rerun that a budget ended is made again from the entry, which alone says
            // where such a run ends.
            Optional<Restart.Start> start = restart.flatMap(s -> s.before(policy.firstPoisonedTrap()));
            for (Optional<Restart.Start> from = start; r == null; from = Optional.empty()) {
                applied.clear();
                ObservedWrites writes = new ObservedWrites(path, arch,
                        from.map(Restart.Start::writesBefore).orElse(List.of()));
                // The hook sees every write of the guest's: the machine is told them too, so that the next rerun's
                // restore compares only the pages this one wrote.
                GuestMachine machine = probe.machine();
                Instrumentation.Hook hook = uc.hookMemoryWrite(1, 0, (address, size, value) -> {
                    writes.write(address, size, value);
                    machine.noteGuestWrite(address, size);
                });
                machine.noteGuestWrites(true);
                try {
                    r = from.isPresent() ? work.resume(probe, call, from.get().point()).orElse(null)
                            : work.rerun(probe, call);
                    startedAt = from.map(f -> f.point().trap()).orElse(0L);
                } finally {
                    machine.noteGuestWrites(false);
                    uc.hookDelete(hook);
                }
                memoryWrites = writes;
            }
        } finally {
            interceptor.setWriteAdjuster(previous);
        }
        return observation(r, memoryWrites.writes(), startedAt);
    }

    private List<RegisterWrite> poison(TrapEvent event, TrapOutcome.Handled outcome, List<RegisterWrite> writes,
                                       PoisonPolicy policy, List<Poison> applied) {
        Optional<RegisterContract> c = outcome.contract();
        if (c.isEmpty()) {
            return writes;
        }
        List<RegisterWrite> out = new ArrayList<>(writes);
        GuestRegister flags = arch.flags();
        if (poisonTargets.size() >= CONTRACT_CACHE) {
            poisonTargets.clear(); // a model that builds a contract per trap: stay bounded
        }
        PoisonTargets targets = poisonTargets.computeIfAbsent(c.get(), k -> PoisonTargets.of(k, arch));
        for (GuestRegister r : targets.mayChange()) {
            if (r == arch.programCounter() || r == arch.stackPointer()) {
                continue;
            }
            Poison p = new Poison(event.sequence(), event.pc(), outcome.command(), r,
                    r == flags ? PoisonKind.FLAGS : PoisonKind.WHOLE_REGISTER);
            if (policy.skip(p)) {
                continue;
            }
            long v = policy.value(p);
            if (r == flags) {
                // Every arithmetic flag flips: random bits would leave a consumed flag (say ZF) unchanged in
                // half of the runs.
                long mask = arch == Arch.X86_64 ? X86_ARITH_FLAGS : ARM64_NZCV;
                v = afterWrites(event, writes, r) ^ mask;
            }
            out.add(RegisterWrite.w64(r, v));
            applied.add(p);
        }
        for (GuestRegister r : targets.written32()) {
            if (architecturallyZeroExtended(event, r)) {
                continue;
            }
            Poison p = new Poison(event.sequence(), event.pc(), outcome.command(), r, PoisonKind.UPPER_HALF);
            if (policy.skip(p)) {
                continue;
            }
            long low = afterWrites(event, writes, r) & 0xFFFF_FFFFL;
            out.add(RegisterWrite.w64(r, (policy.value(p) << 32) | low));
            applied.add(p);
        }
        return out;
    }

    /**
     * What {@link #poison} poisons under one contract, in the contract's order: the may-change registers, and the
     * registers written 32 bits wide (flags aside). Computed once per contract object: the models share one per
     * command, and a flood asks at every trap of every rerun.
     */
    private record PoisonTargets(List<GuestRegister> mayChange, List<GuestRegister> written32) {
        static PoisonTargets of(RegisterContract c, Arch arch) {
            List<GuestRegister> written32 = new ArrayList<>();
            for (GuestRegister r : c.written()) {
                if (c.role(r).writeWidth() == 32 && r != arch.flags()) {
                    written32.add(r);
                }
            }
            return new PoisonTargets(List.copyOf(c.mayChange()), List.copyOf(written32));
        }
    }

    /**
     * The registers {@code c} takes as input (a non-zero input mask), in the architecture's register order, with their
     * masks and names: computed once per contract object, as {@link PoisonTargets} are, since every hypercall of
     * every run is observed through them.
     */
    private InputMasks inputMasks(RegisterContract c) {
        if (inputMasks.size() >= CONTRACT_CACHE) {
            inputMasks.clear(); // a model that builds a contract per trap: stay bounded
        }
        return inputMasks.computeIfAbsent(c, k -> InputMasks.of(k, arch));
    }

    /** What {@link #observation} reads of one hypercall's registers under one contract. */
    private record InputMasks(GuestRegister[] registers, long[] masks, String[] names) {
        static InputMasks of(RegisterContract c, Arch arch) {
            List<GuestRegister> regs = new ArrayList<>();
            for (GuestRegister g : arch.registers()) {
                if (c.role(g).inputMask() != 0) {
                    regs.add(g);
                }
            }
            GuestRegister[] registers = regs.toArray(GuestRegister[]::new);
            long[] masks = new long[registers.length];
            String[] names = new String[registers.length];
            for (int i = 0; i < registers.length; i++) {
                masks[i] = c.role(registers[i]).inputMask();
                names[i] = registers[i].displayName();
            }
            return new InputMasks(registers, masks, names);
        }
    }

    /** {@code in eax, dx} itself writes EAX, which zero-extends into RAX on the CPU: not the hypervisor's choice. */
    private static boolean architecturallyZeroExtended(TrapEvent event, GuestRegister r) {
        return r == X86Register.RAX && event.form() == io.hvprobe.spi.TrapForm.IN;
    }

    private static long afterWrites(TrapEvent event, List<RegisterWrite> writes, GuestRegister r) {
        long v = event.registers().get(r);
        for (RegisterWrite w : writes) {
            if (w.register() == r) {
                v = w.applyTo(v);
            }
        }
        return v;
    }

    /**
     * What a caller observes of run {@code r}, which started at the baseline's point at trap {@code startedAt} (0: at
     * the entry, or at the first trap).
     */
    private Observation observation(RunResult r, List<String> memoryWrites, long startedAt) {
        Outcome outcome = switch (r.call()) {
            case CallResult.Returned ret -> {
                long v = options.returnValue(ret.value());
                yield options.returnWidthKnown() ? new Outcome.Returned(v, 0)
                        : new Outcome.Returned(v & 0xFFFF_FFFFL, v >>> 32);
            }
            case CallResult.Faulted f -> new Outcome.Faulted(f.fault().kind(), f.fault().location());
        };
        List<String> buffers = r.call().buffers().stream()
                .map(b -> b == null ? "-" : HexFormat.of().formatHex(b)).toList();
        Map<String, Long> saved = new TreeMap<>();
        Set<GuestRegister> callee = arch.calleeSaved();
        for (GuestRegister g : callee) {
            saved.put(g.displayName(), r.call().registers().get(g));
        }
        // A run resumed at trap n made the baseline's first n hypercalls: their inputs are the clean observation's.
        int reused = clean == null ? 0 : (int) Math.min(startedAt, clean.hypercallInputs().size());
        List<String> inputs = new ArrayList<>(r.hypercalls().size());
        inputs.addAll(clean == null ? List.of() : clean.hypercallInputs().subList(0, reused));
        InputTexts texts = new InputTexts();
        if (r.hypercalls() instanceof HypercallRecords compact) {
            // Read in order without building the records: a dense run has one every 7-8 instructions.
            HypercallRecords.Cursor h = compact.cursor(reused);
            while (h.next()) {
                inputs.add(texts.of(h.command(), h.outcome(), h::before));
            }
        } else {
            for (int i = reused; i < r.hypercalls().size(); i++) {
                HypercallRecord h = r.hypercalls().get(i);
                inputs.add(texts.of(h.command(), h.outcome(), h.event().registers()::get));
            }
        }
        return new Observation(outcome, buffers, saved, inputs, memoryWrites);
    }

    /**
     * One hypercall's inputs for an {@link Observation}, one after another: its command and the registers its contract
     * takes as input. The text of the previous hypercall again when the command, the contract and the masked values
     * are the same (a loop calls the same command with the same inputs), rather than an equal text built anew.
     */
    private final class InputTexts {
        private String command;
        private InputMasks masks;
        private long[] values = new long[0];
        private String text;

        String of(String command, Optional<TrapOutcome.Handled> answer,
                  java.util.function.ToLongFunction<GuestRegister> before) {
            Optional<RegisterContract> c = answer.flatMap(o -> o.contract());
            InputMasks in = c.isPresent() ? inputMasks(c.get()) : null;
            int n = in == null ? 0 : in.registers().length;
            boolean same = text != null && in == masks && command.equals(this.command);
            if (values.length < n) {
                values = new long[n];
            }
            for (int k = 0; k < n; k++) {
                long v = before.applyAsLong(in.registers()[k]) & in.masks()[k];
                same &= values[k] == v;
                values[k] = v;
            }
            if (same) {
                return text;
            }
            StringBuilder b = new StringBuilder(command);
            for (int k = 0; k < n; k++) {
                b.append(' ').append(in.names()[k]).append('=').append(Long.toHexString(values[k]));
            }
            this.command = command;
            this.masks = in;
            this.text = b.toString();
            return text;
        }
    }
}
