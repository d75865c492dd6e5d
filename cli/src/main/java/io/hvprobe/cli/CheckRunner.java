package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.arch.Arch;
import io.hvprobe.coverage.ModuleLifecycle;
import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.SiteCodeReader;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.coverage.SiteKind;
import io.hvprobe.kernel.KernelOptions;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.LoadException;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.Hypervisors;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a check: every object under every profile, each object on its own {@link Probe} (one per worker thread),
 * results collected in input order so that {@code --jobs N} gives exactly what a serial run gives.
 */
final class CheckRunner {

    /**
     * One profile to check against.
     *
     * @param hypervisor the plugin name
     * @param options    its options
     */
    record ProfileChoice(String hypervisor, HypervisorOptions options, Map<String, HypervisorOptions> companions) {
        ProfileChoice {
            companions = Map.copyOf(companions);
        }

        /** With every companion model on its default profile. */
        ProfileChoice(String hypervisor, HypervisorOptions options) {
            this(hypervisor, options, Map.of());
        }
    }

    /**
     * What a check produced, plus counters for the summary.
     *
     * @param results    every function run, and one entry per object that did not load
     * @param objects    objects loaded and checked
     * @param unloadable objects that did not load (each one {@link LoadFailure} entry in {@code results})
     * @param coverage   per object and profile, the trap sites and how each was reached
     */
    record Outcome(List<FunctionResult> results, int objects, int unloadable, List<ObjectCoverage> coverage) {
    }

    /** What checking one object produced: per-function results and per-profile trap-site coverage. */
    private record ObjectOutcome(List<FunctionResult> results, List<ObjectCoverage> coverage) {
    }

    private final FunctionPlan plan;
    private final VerifyOptions verify;
    private final List<ProfileChoice> profiles;
    private final KernelOptions kernel;
    private final boolean allVariants;
    /** Shared objects every object is loaded with ({@code --lib}); empty: each object alone. */
    private final List<java.nio.file.Path> libraries;
    private final ObjectTriage triage;

    CheckRunner(FunctionPlan plan, VerifyOptions verify, List<ProfileChoice> profiles) {
        this(plan, verify, profiles, KernelOptions.defaults(), false, List.of(), false);
    }

    /**
     * A runner; with {@code allVariants} every object runs once per variant its {@code .altinstructions} carries
     * ({@link AlternativeVariants}), otherwise its code as compiled.
     */
    CheckRunner(FunctionPlan plan, VerifyOptions verify, List<ProfileChoice> profiles, KernelOptions kernel,
                boolean allVariants) {
        this(plan, verify, profiles, kernel, allVariants, List.of(), false);
    }

    /**
     * As above, each object loaded with the shared objects {@code libraries} ({@code --lib}); with {@code deep}
     * objects whose trap sites are all device I/O ({@link DeviceIoOnly}) run like any other instead of being listed.
     */
    CheckRunner(FunctionPlan plan, VerifyOptions verify, List<ProfileChoice> profiles, KernelOptions kernel,
                boolean allVariants, List<java.nio.file.Path> libraries, boolean deep) {
        this.triage = new ObjectTriage(ProbeOptions.defaults().load(), deep);
        this.libraries = List.copyOf(libraries);
        this.plan = plan;
        this.verify = verify;
        this.profiles = List.copyOf(profiles);
        this.kernel = kernel;
        this.allVariants = allVariants;
    }

    Outcome run(List<CheckTarget> targets, int jobs, Progress progress) throws Exception {
        List<ObjectOutcome> perObject = OrderedParallel.map(targets, jobs, (none, t) -> {
            ObjectOutcome r = checkObject(t);
            progress.advance(t.label());
            return r;
        });
        progress.finish();
        List<FunctionResult> all = perObject.stream().flatMap(o -> o.results().stream()).toList();
        List<FunctionResult> failed = all.stream().filter(LoadFailure::is).toList();
        int unloadable = failed.size();
        if (unloadable > 0 && unloadable == targets.size()) {
            // Nothing was checked: as for a missing file, one line and the input exit status, no empty report.
            throw new InputError(failed.getFirst().findings().getFirst().finding().message());
        }
        return new Outcome(all, targets.size() - unloadable, unloadable,
                perObject.stream().flatMap(o -> o.coverage().stream()).toList());
    }

    private ObjectOutcome checkObject(CheckTarget target) throws UnknownFunctionException {
        // With --lib the sites may sit in a library the object calls, so only an object checked alone is passed over.
        if (!allVariants && libraries.isEmpty()) {
            switch (triage.decide(target.path())) {
                // What a check of it gives without loading it: no function runs, no site under any profile.
                case ObjectTriage.SiteFree f -> {
                    return listed(target, f.arch(), List.of());
                }
                // No function runs; its sites are listed, each saying why it was not run.
                case ObjectTriage.DeviceIo d -> {
                    List<SiteCoverage> sites = new ArrayList<>();
                    for (StaticSites.Site s : d.sites()) {
                        if (!s.alternative()) {
                            sites.add(new SiteCoverage(s.location(), s.site().address(), s.site().form().name(),
                                    SiteKind.DEVICE_IO, Optional.empty(), ObjectCoverage.LISTED_DEVICE_IO));
                        }
                    }
                    return listed(target, d.arch(), sites);
                }
                case ObjectTriage.Run r -> {
                }
            }
        }
        try {
            return checkLoaded(target);
        } catch (InputError e) {
            if (!(e.getCause() instanceof LoadException)) {
                throw e;
            }
            // The same file fails under every profile and variant: one entry.
            return new ObjectOutcome(List.of(LoadFailure.of(target, e)), List.of());
        }
    }

    /** An object passed over: no function results, the same coverage under every profile. */
    private ObjectOutcome listed(CheckTarget target, Arch arch, List<SiteCoverage> sites) {
        List<ObjectCoverage> coverage = new ArrayList<>();
        for (ProfileChoice p : profiles) {
            String profile = options(p, target).profileLabel(Hypervisors.byName(p.hypervisor()).profiles());
            coverage.add(new ObjectCoverage(target.label(), arch, target.variant(), profile, sites));
        }
        return new ObjectOutcome(List.of(), coverage);
    }

    private ObjectOutcome checkLoaded(CheckTarget target) throws UnknownFunctionException {
        List<FunctionResult> out = new ArrayList<>();
        List<ObjectCoverage> coverage = new ArrayList<>();
        List<AlternativeVariants.Variant> variants = allVariants
                ? AlternativeVariants.of(target.path(), GuestObjects.load(target.path(), ProbeOptions.defaults().load()))
                : List.of();
        for (ProfileChoice p : profiles) {
            ProbeOptions options = options(p, target);
            if (!allVariants) {
                try (Probe probe = libraries.isEmpty() ? GuestObjects.open(target.path(), options, target.label())
                        : GuestObjects.openWith(target.path(), libraries, options, target.label())) {
                    check(probe, target, target.variant(), out, coverage);
                }
                continue;
            }
            for (AlternativeVariants.Variant v : variants) {
                String label = target.variant().isEmpty() ? v.label() : target.variant() + ":" + v.label();
                try (Probe probe = GuestObjects.open(v.image(), options.withVariant(label), target.label())) {
                    check(probe, target, label, out, coverage);
                }
            }
        }
        return new ObjectOutcome(out, coverage);
    }

    private ProbeOptions options(ProfileChoice p, CheckTarget target) {
        ProbeOptions o = ProbeOptions.defaults().withHypervisor(p.hypervisor()).withHypervisorOptions(p.options())
                .withMachine(plan.machine()).withVariant(target.variant()).withKernel(kernel);
        for (Map.Entry<String, HypervisorOptions> c : p.companions().entrySet()) {
            o = o.withCompanion(c.getKey(), c.getValue());
        }
        return o;
    }

    /**
     * Checks one loaded variant of an object: the module lifecycle, then every planned function's calls, then a
     * forced run towards each hypercall site still unreached; adds one result per function and the coverage.
     */
    private void check(Probe probe, CheckTarget target, String variant, List<FunctionResult> out,
                       List<ObjectCoverage> coverage) throws UnknownFunctionException {
        PlanContext ctx = new PlanContext(target.label(), target.path(), variant, probe.profile(),
                probe.machine().arch());
        Verifier verifier = new Verifier(verify);
        SiteReach reach = new SiteReach(probe, ctx, plan);
        List<GuestSymbol> functions = plan.functions(probe, ctx);
        Optional<ModuleLifecycle> lifecycle = reach.moduleLifecycle();
        // init_module is verified on the state the module was loaded in, as a kernel calls it; every other function
        // on the state it left (when it returned 0), as a running kernel calls a loaded module's code.
        Map<String, Tally> tallies = new LinkedHashMap<>();
        Optional<GuestSymbol> init = lifecycle.flatMap(ModuleLifecycle::init).filter(functions::contains);
        Tally initTally = new Tally();
        List<Verification> initRuns = init.isPresent() ? verify(probe, ctx, verifier, init.get(), initTally) : List.of();
        if (lifecycle.isPresent()) {
            reach.lifecycle(lifecycle.get());
        }
        initRuns.forEach(reach::entry); // after the lifecycle: a site both reached counts as reached by the lifecycle
        for (GuestSymbol fn : functions) {
            if (plan.calls(ctx, fn).isEmpty()) {
                continue;
            }
            if (init.isPresent() && fn.equals(init.get())) {
                tallies.put(fn.name(), initTally);
                continue;
            }
            verify(probe, ctx, verifier, fn, tallies.computeIfAbsent(fn.name(), k -> new Tally())).forEach(reach::entry);
        }
        for (SiteReach.Forced f : reach.forced(verifier)) {
            Tally t = tallies.computeIfAbsent(f.function(), k -> new Tally());
            t.hypercalls += f.hypercalls();
            t.instructions += f.instructions();
            t.findings.addAll(f.findings());
        }
        tallies.forEach((fn, t) -> out.add(new FunctionResult(target.label(), fn, probe.machine().arch(),
                variant, probe.profile(), t.hypercalls, t.instructions,
                t.findings.stream().distinct().toList())));
        try (SiteCodeReader code = new SiteCodeReader(probe.image())) {
            coverage.add(reach.recorder().build(target.label(), probe.machine().arch(), variant, probe.profile(),
                    code::code));
        }
    }

    /** Verifies every planned call of {@code fn}, adding them up in {@code t}; returns the verifications. */
    private List<Verification> verify(Probe probe, PlanContext ctx, Verifier verifier, GuestSymbol fn, Tally t)
            throws UnknownFunctionException {
        List<Verification> out = new ArrayList<>();
        for (PlannedCall c : plan.calls(ctx, fn)) {
            Verification v = verifier.verify(probe, c.call(), c.grounds());
            out.add(v);
            t.hypercalls += v.run().hypercallCount();
            t.instructions += v.cost().instructions();
            t.findings.addAll(plan.assess(ctx, c, v));
        }
        return out;
    }

    /** One function's runs added up. */
    private static final class Tally {
        long hypercalls;
        long instructions;
        final List<LocatedFinding> findings = new ArrayList<>();
    }
}
