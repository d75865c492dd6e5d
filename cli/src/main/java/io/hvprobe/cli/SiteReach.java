package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.coverage.CoverageRecorder;
import io.hvprobe.coverage.ModuleLifecycle;
import io.hvprobe.coverage.Reach;
import io.hvprobe.coverage.SiteKind;
import io.hvprobe.coverage.Steering;
import io.hvprobe.coverage.SteeringPlan;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.trap.CompilerTraps;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code check} does around its per-function runs to reach every trap site of an object: the module
 * lifecycle first ({@code init_module}, the entry points, {@code cleanup_module} in one hypervisor session), and,
 * after the per-function runs, a forced run towards each hypercall site still unreached (docs/verifier.md,
 * "Module lifecycle and forced paths"). Records how each site was reached in a {@link CoverageRecorder}.
 */
final class SiteReach {
    /** Most entry functions a forced run is tried from per site (smallest first). */
    static final int MAX_FORCED_ENTRIES = 3;
    /**
     * Instruction limit of a forced trial run: a steered run that reaches its site does so within a few thousand
     * instructions; one that loops (a retry loop the steering keeps taking) stops here instead of at the call
     * budget, so unreachable sites cost little.
     */
    static final long TRIAL_LIMIT = 200_000;

    /**
     * A forced run's contribution to the check of one entry function.
     *
     * @param function     the entry function the forced run called
     * @param hypercalls   hypercalls its first run made
     * @param instructions instructions of its first run
     * @param findings     its findings at the sites only it reached (or about a value from one), all on the forced
     *                     path (notes)
     */
    record Forced(String function, long hypercalls, long instructions, List<LocatedFinding> findings) {
    }

    private final Probe probe;
    private final PlanContext context;
    private final FunctionPlan plan;
    private final CoverageRecorder recorder;

    SiteReach(Probe probe, PlanContext context, FunctionPlan plan) {
        this.probe = probe;
        this.context = context;
        this.plan = plan;
        List<CoverageRecorder.Site> sites = new ArrayList<>();
        List<StaticSites.Site> scanned = StaticSites.scan(probe.image());
        for (StaticSites.Site s : scanned) {
            // A compiler's __builtin_trap() is no hypercall: reaching it means the program crashes.
            if (!s.alternative() && !CompilerTraps.isCompilerTrap(s.site())) {
                sites.add(new CoverageRecorder.Site(s.site().address(), s.location(),
                        probe.machine().symbolize(s.site().address()), s.site().form().name(),
                        s.deviceIo() ? SiteKind.DEVICE_IO : SiteKind.HYPERCALL));
            }
        }
        this.recorder = new CoverageRecorder(sites);
        for (StaticSites.Site s : scanned) {
            s.xenPrefix().ifPresent(p -> recorder.reachedAtFault(p, probe.machine().symbolize(p), s.site().address()));
        }
    }

    /** The recorder: what the runs so far reached. */
    CoverageRecorder recorder() {
        return recorder;
    }

    /** The module's lifecycle, when the object is a kernel module (defines {@code init_module} or {@code cleanup_module}). */
    Optional<ModuleLifecycle> moduleLifecycle() {
        java.util.Set<GuestSymbol> reaching = new java.util.LinkedHashSet<>();
        for (CoverageRecorder.Site site : recorder.unreachedHypercallSites()) {
            reaching.addAll(probe.trapReach().functionsReaching(site.address()));
        }
        return ModuleLifecycle.of(probe.image(), reaching);
    }

    /**
     * Runs {@code lifecycle} with the plan's arguments, all in one hypervisor session: {@code init_module} from the
     * state the probe's runs start from (call it before other runs change that), then — when it returned 0, as a
     * module that loaded — makes the state it left the one every later run starts from
     * ({@link Probe#startRunsFromHere}), then the entry points that reach a hypercall site and
     * {@code cleanup_module}, each on the state the one before left.
     *
     * @return whether later runs start from the state {@code init_module} left
     */
    boolean lifecycle(ModuleLifecycle lifecycle) throws UnknownFunctionException {
        boolean initialised = false;
        if (lifecycle.init().isPresent()) {
            List<PlannedCall> calls = plan.calls(context, lifecycle.init().get());
            if (!calls.isEmpty()) {
                RunResult init = probe.run(calls.getFirst().call());
                recorder.record(Reach.LIFECYCLE, init);
                if (init.call() instanceof CallResult.Returned r && (int) r.value() == 0) {
                    probe.startRunsFromHere();
                    initialised = true;
                }
            }
        }
        List<GuestSymbol> rest = new ArrayList<>(lifecycle.entries());
        lifecycle.cleanup().ifPresent(rest::add);
        for (GuestSymbol f : rest) {
            List<PlannedCall> calls = plan.calls(context, f);
            if (!calls.isEmpty()) {
                recorder.record(Reach.LIFECYCLE, probe.runContinuing(calls.getFirst().call()));
            }
        }
        return initialised;
    }

    /** Records what a per-function verification reached. */
    void entry(Verification v) {
        recorder.record(Reach.ENTRY, v.run());
    }

    /**
     * Drives each hypercall site no run reached yet: from the smallest entry functions that reach it through
     * direct calls, a run steered towards it ({@link SteeringPlan}); the first that reaches it is verified on the
     * forced path. Sites still unreached get the reason.
     */
    List<Forced> forced(Verifier verifier) throws UnknownFunctionException {
        List<Forced> out = new ArrayList<>();
        for (CoverageRecorder.Site site : recorder.unreachedHypercallSites()) {
            if (recorder.reached(site.address())) {
                continue; // an earlier forced run passed it
            }
            List<GuestSymbol> entries = new ArrayList<>(probe.trapReach().entriesReaching(site.address()));
            if (entries.isEmpty()) {
                recorder.unreachedBecause(site.address(), "no entry function reaches it through direct calls"
                        + " (only through a function pointer or jump table, or never)");
                continue;
            }
            entries.sort(Comparator.comparingLong(GuestSymbol::size).thenComparingLong(GuestSymbol::address));
            SteeringPlan steering = SteeringPlan.towards(probe.machine(), probe.trapReach(), site.address());
            List<String> why = new ArrayList<>();
            for (GuestSymbol entry : entries.subList(0, Math.min(MAX_FORCED_ENTRIES, entries.size()))) {
                List<PlannedCall> calls = plan.calls(context, entry);
                if (calls.isEmpty()) {
                    continue;
                }
                PlannedCall call = calls.getFirst();
                try (Steering s = Steering.attach(probe, steering)) {
                    RunResult trial = probe.run(call.call(), TRIAL_LIMIT);
                    if (!reaches(trial, site.address())) {
                        why.add(entry.name() + " " + ending(trial) + " (" + s.steeredBranches().size()
                                + " branches steered)");
                        continue;
                    }
                    Verification v = verifier.verify(probe, call.call(), call.grounds().forced());
                    String path = String.join(", ", s.steeredBranches());
                    Set<String> fresh = new HashSet<>();
                    for (HypercallRecord r : v.run().hypercalls()) {
                        if (!recorder.reached(r.event().pc())) {
                            fresh.add(probe.machine().symbolize(r.event().pc()));
                        }
                    }
                    recorder.record(Reach.FORCED, v.run(), "from " + entry.name()
                            + (path.isEmpty() ? "" : "; steered " + path));
                    // Sites other runs reached were verified there without forcing; what this run adds is the
                    // sites only it reached.
                    out.add(new Forced(entry.name(), v.run().hypercallCount(), v.cost().instructions(),
                            plan.assess(context, call, v).stream().filter(f -> fresh.contains(f.site().location())
                                    || fresh.contains(f.finding().evidence().getOrDefault("trap", "")))
                                    .map(f -> withPath(f, entry, path)).toList()));
                    why.clear();
                    break;
                }
            }
            if (!why.isEmpty()) {
                recorder.unreachedBecause(site.address(), "forced runs did not reach it: " + String.join("; ", why));
            }
        }
        return out;
    }

    private static boolean reaches(RunResult run, long address) {
        for (HypercallRecord r : run.hypercalls()) {
            if (r.event().pc() == address) {
                return true;
            }
        }
        return false;
    }

    /** How a forced run that missed its site ended, e.g. {@code returned} or {@code stopped at f+0x1c: ...}. */
    private static String ending(RunResult run) {
        return switch (run.call()) {
            case CallResult.Returned r -> "returned";
            case CallResult.Faulted f -> "stopped at " + f.fault().location() + ": " + f.fault().kind().name()
                    .toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** {@code f} with the forced path it was found on in its evidence. */
    private static LocatedFinding withPath(LocatedFinding f, GuestSymbol entry, String path) {
        Map<String, String> ev = new TreeMap<>(f.finding().evidence());
        ev.put("forced-path", "from " + entry.name() + (path.isEmpty() ? "" : ": " + path));
        Finding x = f.finding().withEvidence(ev);
        return new LocatedFinding(x, f.site());
    }
}
