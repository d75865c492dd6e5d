package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.kernel.KernelOptions;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.LoadException;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
    record ProfileChoice(String hypervisor, HypervisorOptions options) {
    }

    /**
     * What a check produced, plus counters for the summary.
     *
     * @param results    every function run, and one entry per object that did not load
     * @param objects    objects loaded and checked
     * @param unloadable objects that did not load (each one {@link LoadFailure} entry in {@code results})
     */
    record Outcome(List<FunctionResult> results, int objects, int unloadable) {
    }

    private final FunctionPlan plan;
    private final VerifyOptions verify;
    private final List<ProfileChoice> profiles;
    private final KernelOptions kernel;

    CheckRunner(FunctionPlan plan, VerifyOptions verify, List<ProfileChoice> profiles) {
        this(plan, verify, profiles, KernelOptions.defaults());
    }

    CheckRunner(FunctionPlan plan, VerifyOptions verify, List<ProfileChoice> profiles, KernelOptions kernel) {
        this.plan = plan;
        this.verify = verify;
        this.profiles = List.copyOf(profiles);
        this.kernel = kernel;
    }

    Outcome run(List<CheckTarget> targets, int jobs, Progress progress) throws Exception {
        List<FunctionResult> all = new ArrayList<>();
        if (jobs <= 1) {
            for (CheckTarget t : targets) {
                all.addAll(checkObject(t));
                progress.advance(t.label());
            }
        } else {
            try (ExecutorService pool = Executors.newFixedThreadPool(jobs)) {
                List<Future<List<FunctionResult>>> futures = new ArrayList<>();
                for (CheckTarget t : targets) {
                    futures.add(pool.submit(() -> {
                        List<FunctionResult> r = checkObject(t);
                        progress.advance(t.label());
                        return r;
                    }));
                }
                for (Future<List<FunctionResult>> f : futures) {
                    try {
                        all.addAll(f.get());
                    } catch (ExecutionException e) {
                        pool.shutdownNow();
                        throw e.getCause() instanceof Exception x ? x : e;
                    }
                }
            }
        }
        progress.finish();
        List<FunctionResult> failed = all.stream().filter(LoadFailure::is).toList();
        int unloadable = failed.size();
        if (unloadable > 0 && unloadable == targets.size()) {
            // Nothing was checked: as for a missing file, one line and the input exit status, no empty report.
            throw new InputError(failed.getFirst().findings().getFirst().finding().message());
        }
        return new Outcome(all, targets.size() - unloadable, unloadable);
    }

    private List<FunctionResult> checkObject(CheckTarget target) throws UnknownFunctionException {
        List<FunctionResult> out = new ArrayList<>();
        for (ProfileChoice p : profiles) {
            ProbeOptions options = ProbeOptions.defaults().withHypervisor(p.hypervisor())
                    .withHypervisorOptions(p.options()).withMachine(plan.machine()).withVariant(target.variant())
                    .withKernel(kernel);
            Probe opened;
            try {
                opened = GuestObjects.open(target.path(), options, target.label());
            } catch (InputError e) {
                if (!(e.getCause() instanceof LoadException)) {
                    throw e;
                }
                return List.of(LoadFailure.of(target, e)); // the same file fails under every profile: one entry
            }
            try (Probe probe = opened) {
                PlanContext ctx = new PlanContext(target.label(), target.path(), target.variant(), probe.profile(),
                        probe.machine().arch());
                Verifier verifier = new Verifier(verify);
                for (GuestSymbol fn : plan.functions(probe, ctx)) {
                    List<PlannedCall> calls = plan.calls(ctx, fn);
                    if (calls.isEmpty()) {
                        continue;
                    }
                    long hypercalls = 0;
                    long instructions = 0;
                    List<LocatedFinding> findings = new ArrayList<>();
                    for (PlannedCall c : calls) {
                        Verification v = verifier.verify(probe, c.call(), c.grounds());
                        hypercalls += v.run().hypercallCount();
                        instructions += v.cost().instructions();
                        findings.addAll(plan.assess(ctx, c, v));
                    }
                    out.add(new FunctionResult(target.label(), fn.name(), probe.machine().arch(), target.variant(),
                            probe.profile(), hypercalls, instructions, findings.stream().distinct().toList()));
                }
            }
        }
        return out;
    }
}
