package io.hvprobe.coverage;

import io.hvprobe.api.Probe;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.trap.TrapInterceptor;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.guest.Instrumentation.Hook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Steers every run on a probe along a {@link SteeringPlan} until the plan's site is reached: at each planned
 * conditional branch the run continues where the plan says, whatever the condition. Once the site has trapped the
 * run goes on unsteered. Each call starts steering afresh (the verifier's reruns follow the same forced path).
 * Close it to run the probe freely again.
 */
public final class Steering implements AutoCloseable, TrapInterceptor.HypercallListener {
    private final Probe probe;
    private final SteeringPlan plan;
    private final Instrumentation uc;
    private final GuestRegister pc;
    private final List<Hook> hooks = new ArrayList<>();
    private final Set<Long> steered = new LinkedHashSet<>();
    private boolean active = true;
    private boolean reached;

    private Steering(Probe probe, SteeringPlan plan) {
        this.probe = probe;
        this.plan = plan;
        this.uc = probe.machine().instrumentation();
        this.pc = probe.machine().arch().programCounter();
    }

    /**
     * Steers {@code probe}'s runs along {@code plan} until closed.
     *
     * @param probe the probe whose next runs are steered; its instrumentation keeps the steering until {@link #close()}
     * @param plan  the branches to steer and the site they lead to
     * @return the attached steering; close it to detach
     */
    public static Steering attach(Probe probe, SteeringPlan plan) {
        Steering s = new Steering(probe, plan);
        for (var d : plan.decisions().entrySet()) {
            long at = d.getKey();
            long to = d.getValue();
            s.hooks.add(s.uc.hookCode(at, at, (address, size) -> s.onBranch(address, to)));
        }
        probe.interceptor().addListener(s);
        probe.machine().addCallStartListener(() -> {
            if (s.active) {
                s.reached = false;
                s.steered.clear();
            }
        });
        return s;
    }

    private void onBranch(long address, long to) {
        if (active && !reached) {
            steered.add(address);
            uc.regWrite(pc, to);
        }
    }

    @Override
    public void onHypercall(HypercallRecord record) {
        if (record.event().pc() == plan.site()) {
            reached = true;
        }
    }

    /** {@return whether the last run reached the plan's site} */
    public boolean reached() {
        return reached;
    }

    /**
     * The planned branches the last run passed before reaching the site, as {@code function+0xNN}, in the order
     * first passed (each one continued where the plan says; some may have gone that way anyway).
     *
     * @return the branches, empty before any run or when none was passed
     */
    public List<String> steeredBranches() {
        return steered.stream().map(probe.machine()::symbolize).toList();
    }

    @Override
    public void close() {
        active = false;
        probe.interceptor().removeListener(this);
        hooks.forEach(uc::hookDelete);
        hooks.clear();
    }
}
