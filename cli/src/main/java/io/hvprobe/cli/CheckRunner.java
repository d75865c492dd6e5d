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
        List<List<FunctionResult>> perObject = OrderedParallel.map(targets, jobs, (none, t) -> {
            List<FunctionResult> r = checkObject(t);
            progress.advance(t.label());
            return r;
        });
        progress.finish();
        return new Outcome(perObject.stream().flatMap(List::stream).toList(), targets.size());
    }

    private List<FunctionResult> checkObject(CheckTarget target) throws UnknownFunctionException {
        List<FunctionResult> out = new ArrayList<>();
        for (ProfileChoice p : profiles) {
            ProbeOptions options = ProbeOptions.defaults().withHypervisor(p.hypervisor())
                    .withHypervisorOptions(p.options()).withMachine(plan.machine()).withVariant(target.variant())
                    .withKernel(kernel);
            try (Probe probe = GuestObjects.open(target.path(), options, target.label())) {
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
