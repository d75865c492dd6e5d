package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.run.HypercallLog;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.TrapEvent;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The hypercall log's append alone, as the trap path makes it ({@code HypercallLog.add(event, plugin, outcome,
 * applied, returns)}), without the emulator: the first {@value #WINDOW} records of one {@code Probe.run(hc_loop(n))}
 * are taken from its result once, and each measured run appends n events made from them in turn (a new event per
 * append with the next sequence number, as the trap path makes one per trap; a small window, so that the registers
 * are in the cache as a trap's just-read ones are) to a fresh default log. One JSON line on stdout: best and median
 * thread CPU nanoseconds and allocated bytes per append, the event included. Unlike {@link RoundTripCpu}, whose
 * JVM-to-JVM spread is 10–20 ns, most JVMs of this one agree within a few nanoseconds, so a change to the log can be
 * measured on its own.
 *
 * <pre>java -cp benchmarks.jar io.hvprobe.bench.LogAppendCpu arm64 100000 10 21</pre>
 *
 * Arguments: architecture, n (records), warm-up runs, measured runs.
 */
public final class LogAppendCpu {

    /** How many of the run's records are appended in turn. */
    private static final int WINDOW = 256;

    private LogAppendCpu() {
    }

    public static void main(String[] args) throws UnknownFunctionException {
        Arch arch = Arch.valueOf(args[0].toUpperCase(Locale.ROOT));
        long n = Long.parseLong(args[1]);
        int warmUps = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<HypercallRecord> records;
        try (Probe probe = BenchGuests.open(arch)) {
            RunResult r = probe.run(GuestCall.of("hc_loop", n));
            HypercallBenchmark.check(r, n);
            records = List.copyOf(r.hypercalls().subList(0, (int) Math.min(n, WINDOW))); // decoded once
        }
        for (int i = 0; i < warmUps; i++) {
            append(records, n);
        }
        double[] cpu = new double[runs];
        double[] bytes = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            long a0 = threads.getCurrentThreadAllocatedBytes();
            HypercallLog log = append(records, n);
            long a1 = threads.getCurrentThreadAllocatedBytes();
            long t1 = threads.getCurrentThreadCpuTime();
            if (log.count() != n) {
                throw new IllegalStateException("appended " + log.count() + " of " + n + " records");
            }
            cpu[i] = (t1 - t0) / (double) n;
            bytes[i] = (a1 - a0) / (double) n;
        }
        Arrays.sort(cpu);
        Arrays.sort(bytes);
        System.out.printf(Locale.ROOT, "{\"side\":\"hvprobe-log-append-cpu\",\"arch\":\"%s\",\"n\":%d,\"runs\":%d,"
                        + "\"cpu_ns_best\":%.1f,\"cpu_ns_median\":%.1f,\"bytes_best\":%.1f,\"bytes_median\":%.1f}%n",
                arch.name().toLowerCase(Locale.ROOT), n, runs, cpu[0], cpu[runs / 2], bytes[0],
                bytes[runs / 2]);
    }

    private static HypercallLog append(List<HypercallRecord> records, long n) {
        HypercallLog log = new HypercallLog((int) n);
        for (long i = 0; i < n; i++) {
            HypercallRecord r = records.get((int) (i % records.size()));
            TrapEvent e = r.event();
            TrapEvent event = new TrapEvent(i, e.form(), e.pc(), e.instructionBytes(), e.disassembly(), e.location(),
                    e.registers(), e.detail());
            log.add(event, r.plugin(), r.outcome(), r.applied(), true);
        }
        return log;
    }
}
