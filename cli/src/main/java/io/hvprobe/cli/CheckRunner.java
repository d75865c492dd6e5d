package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.kernel.KernelOptions;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.GuestSymbol;
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

    /** What a check produced, plus counters for the summary. */
    record Outcome(List<FunctionResult> results, int objects) {
    }

    private final FunctionPlan plan;
    private final VerifyOptions verify;
    private final List<ProfileChoice> profiles;
    private final KernelOptions kernel;
    private final boolean allVariants;

    CheckRunner(FunctionPlan plan, VerifyOptions verify, List<ProfileChoice> profiles) {
        this(plan, verify, profiles, KernelOptions.defaults(), false);
    }

    /**
     * A runner; with {@code allVariants} every object runs once per variant its {@code .altinstructions} carries
     * ({@link AlternativeVariants}), otherwise its code as compiled.
     */
    CheckRunner(FunctionPlan plan, VerifyOptions verify, List<ProfileChoice> profiles, KernelOptions kernel,
                boolean allVariants) {
        this.plan = plan;
        this.verify = verify;
        this.profiles = List.copyOf(profiles);
        this.kernel = kernel;
        this.allVariants = allVariants;
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
        return new Outcome(all, targets.size());
    }

    private List<FunctionResult> checkObject(CheckTarget target) throws UnknownFunctionException {
        List<FunctionResult> out = new ArrayList<>();
        List<AlternativeVariants.Variant> variants = allVariants
                ? AlternativeVariants.of(target.path(), GuestObjects.load(target.path(), ProbeOptions.defaults().load()))
                : List.of();
        for (ProfileChoice p : profiles) {
            ProbeOptions options = ProbeOptions.defaults().withHypervisor(p.hypervisor())
                    .withHypervisorOptions(p.options()).withMachine(plan.machine()).withVariant(target.variant())
                    .withKernel(kernel);
            if (!allVariants) {
                try (Probe probe = GuestObjects.open(target.path(), options, target.label())) {
                    check(probe, target, target.variant(), out);
                }
                continue;
            }
            for (AlternativeVariants.Variant v : variants) {
                String label = target.variant().isEmpty() ? v.label() : target.variant() + ":" + v.label();
                try (Probe probe = GuestObjects.open(v.image(), options.withVariant(label), target.label())) {
                    check(probe, target, label, out);
                }
            }
        }
        return out;
    }

    /** Verifies the planned calls of every planned function of {@code probe}, adding one result per function. */
    private void check(Probe probe, CheckTarget target, String variant, List<FunctionResult> out)
            throws UnknownFunctionException {
        PlanContext ctx = new PlanContext(target.label(), target.path(), variant, probe.profile(),
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
            out.add(new FunctionResult(target.label(), fn.name(), probe.machine().arch(), variant,
                    probe.profile(), hypercalls, instructions, findings.stream().distinct().toList()));
        }
    }
}
