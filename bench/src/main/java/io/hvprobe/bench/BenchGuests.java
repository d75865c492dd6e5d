package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.LoadException;
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
        MachineOptions machine = options.machine().withInstructionBudget(0).withTimeout(Duration.ofMinutes(10));
        try {
            return Probe.open(object(arch), options.withMachine(machine));
        } catch (LoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Instructions {@code trace_loop(n)} executes, entry to return. */
    static long traceInstructions(long n) {
        return 5 * n + 5;
    }
}
