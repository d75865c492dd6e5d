package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The full hypercall path of {@link HypercallBenchmark} ({@code Probe.run(hc_loop(n))}), measured in the emulating
 * thread's CPU time and its exactly allocated bytes instead of wall time, so that the figure means something on a
 * loaded machine. One JSON line per architecture on stdout: best and median CPU nanoseconds and allocated bytes per
 * hypercall over the measured runs (after warm-up runs that are not counted).
 *
 * <pre>java -cp benchmarks.jar io.hvprobe.bench.RoundTripCpu x86_64 100000 5 7</pre>
 *
 * Arguments: architecture, n (hypercalls per call), warm-up runs, measured runs.
 */
public final class RoundTripCpu {

    private RoundTripCpu() {
    }

    public static void main(String[] args) throws UnknownFunctionException {
        Arch arch = Arch.valueOf(args[0].toUpperCase(Locale.ROOT));
        long n = Long.parseLong(args[1]);
        int warmUps = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        GuestCall call = GuestCall.of("hc_loop", n);
        try (Probe probe = BenchGuests.open(arch)) {
            for (int i = 0; i < warmUps; i++) {
                HypercallBenchmark.check(probe.run(call), n);
            }
            double[] cpu = new double[runs];
            double[] bytes = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = threads.getCurrentThreadCpuTime();
                long a0 = threads.getCurrentThreadAllocatedBytes();
                RunResult r = probe.run(call);
                long a1 = threads.getCurrentThreadAllocatedBytes();
                long t1 = threads.getCurrentThreadCpuTime();
                HypercallBenchmark.check(r, n);
                cpu[i] = (t1 - t0) / (double) n;
                bytes[i] = (a1 - a0) / (double) n;
            }
            Arrays.sort(cpu);
            Arrays.sort(bytes);
            System.out.printf(Locale.ROOT, "{\"side\":\"hvprobe-thread-cpu\",\"arch\":\"%s\",\"n\":%d,\"runs\":%d,"
                            + "\"cpu_ns_best\":%.1f,\"cpu_ns_median\":%.1f,\"bytes_best\":%.1f,\"bytes_median\":%.1f}%n",
                    arch.name().toLowerCase(Locale.ROOT), n, runs, cpu[0], cpu[runs / 2], bytes[0], bytes[runs / 2]);
        }
    }
}
