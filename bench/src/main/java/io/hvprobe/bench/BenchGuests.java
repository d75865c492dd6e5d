package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadException;
import io.hvprobe.run.HypercallLog;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.Hypervisors;
import io.hvprobe.trap.CpuModel;
import io.hvprobe.trap.TrapInterceptor;
import io.hvprobe.trap.TrappedSystemRegisters;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The guest objects of the full-path benchmarks: {@code bench/guest/guest_<arch>.S}, assembled by {@code bench/run}
 * into {@code guest_x86_64.o} / {@code guest_arm64.o} in the directory named by the system property
 * {@value #PROPERTY} (default {@code bench/target/guests}). The C and Python peers run the same {@code .text}.
 */
final class BenchGuests {
    static final String PROPERTY = "hvprobe.bench.guests";
    /** GETVERSION's answer in EAX / X0, which {@code hc_loop} returns. */
    static final long VERSION = 6;

    private BenchGuests() {
    }

    static Path object(Arch arch) {
        Path dir = Path.of(System.getProperty(PROPERTY, "bench/target/guests"));
        Path o = dir.resolve("guest_" + arch.name().toLowerCase(Locale.ROOT) + ".o");
        if (!Files.isRegularFile(o)) {
            throw new IllegalStateException(o.toAbsolutePath() + " not found: run bench/run --build-only first, or"
                    + " pass -D" + PROPERTY + "=DIR");
        }
        return o;
    }

    /**
     * A probe on the benchmark guest through the public path (ELF loader, GuestMachine, TrapInterceptor, the VMware
     * plugin from ServiceLoader). The only change from the defaults: no instruction budget and a long timeout, since
     * a benchmark call runs millions of instructions.
     */
    static Probe open(Arch arch) {
        ProbeOptions options = ProbeOptions.defaults();
        try {
            return Probe.open(object(arch), options.withMachine(machineOptions()));
        } catch (LoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The defaults without an instruction budget and with a long timeout. */
    static MachineOptions machineOptions() {
        return MachineOptions.defaults().withInstructionBudget(0).withTimeout(Duration.ofMinutes(10));
    }

    /**
     * The full hypercall path assembled from the public {@link GuestMachine} and {@link TrapInterceptor} API with the
     * VMware plugin from ServiceLoader and a hypercall log of {@code capacity} records (Probe's is fixed at
     * {@value HypercallLog#DEFAULT_CAPACITY}). One plugin session for the machine's lifetime.
     */
    record BoundedLogMachine(GuestMachine machine, HypervisorSession session, HypercallLog log,
                             TrapInterceptor interceptor) implements AutoCloseable {
        static BoundedLogMachine open(Arch arch, int capacity) {
            Hypervisor plugin = Hypervisors.byName("vmware");
            GuestMachine machine;
            try {
                machine = GuestMachine.create(ImageLoader.load(object(arch)), machineOptions());
            } catch (LoadException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            HypervisorSession session = plugin.openSession(HypervisorOptions.defaults());
            HypercallLog log = new HypercallLog(capacity);
            TrapInterceptor interceptor = TrapInterceptor.attach(machine,
                    List.of(new TrapInterceptor.PluginSession(plugin.name(), session)), CpuModel.defaults(),
                    TrappedSystemRegisters.defaults(), log);
            return new BoundedLogMachine(machine, session, log, interceptor);
        }

        /** Runs {@code hc_loop(calls)} with a cleared log; fails unless it made that many calls and returned 6. */
        CallResult hypercalls(long calls) {
            interceptor.clearLog();
            CallResult r;
            try {
                r = machine.call(GuestCall.of("hc_loop", calls));
            } catch (UnknownFunctionException e) {
                throw new IllegalStateException(e);
            }
            if (!(r instanceof CallResult.Returned ret) || ret.value() != VERSION || log.count() != calls) {
                throw new IllegalStateException("expected " + calls + " hypercalls returning " + VERSION + ": " + r
                        + ", " + log.count());
            }
            return r;
        }

        @Override
        public void close() {
            session.close();
            machine.close();
        }
    }

    /** Instructions {@code trace_loop(n)} executes, entry to return. */
    static long traceInstructions(long n) {
        return 5 * n + 5;
    }
}
