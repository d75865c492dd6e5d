package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.run.HypercallLog;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * Memory after n hypercalls of {@code hc_loop(n)} on one long-lived engine: used heap after a full GC, the process's
 * resident set ({@code VmRSS}) and, when the JVM runs with {@code -XX:NativeMemoryTracking=summary}, the JVM's
 * committed native memory. One JSON line per measurement on stdout.
 *
 * <pre>java -XX:NativeMemoryTracking=summary -cp benchmarks.jar io.hvprobe.bench.MemoryProbe x86_64 10000 100000 1000000</pre>
 *
 * Two set-ups: {@code probe} is the public {@link Probe} (its hypercall log has the default capacity of
 * {@value HypercallLog#DEFAULT_CAPACITY} records and keeps the last run's records until the next run);
 * {@code bounded-log} is {@link io.hvprobe.guest.GuestMachine} + {@link io.hvprobe.trap.TrapInterceptor} with the
 * same plugin and a log of 1,000 records, which the interceptor's API allows
 * ({@link BenchGuests.BoundedLogMachine}).
 */
public final class MemoryProbe {
    private static final int BOUNDED_CAPACITY = 1_000;

    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Arch arch = Arch.valueOf(args[0].toUpperCase(Locale.ROOT));
        long[] ns = new long[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            ns[i - 1] = Long.parseLong(args[i]);
        }
        try (Probe probe = BenchGuests.open(arch)) {
            probe.run(GuestCall.of("hc_loop", 1000)); // warm-up: classes loaded, code translated
            report("probe", arch, 0, probe.interceptor().log().records().size());
            for (long n : ns) {
                RunResult r = probe.run(GuestCall.of("hc_loop", n));
                HypercallBenchmark.check(r, n);
                r = null;
                report("probe", arch, n, probe.interceptor().log().records().size());
            }
        }
        try (BenchGuests.BoundedLogMachine bench = BenchGuests.BoundedLogMachine.open(arch, BOUNDED_CAPACITY)) {
            bench.hypercalls(1000); // warm-up
            report("bounded-log", arch, 0, bench.log().records().size());
            for (long n : ns) {
                bench.hypercalls(n);
                report("bounded-log", arch, n, bench.log().records().size());
            }
        }
    }

    private static void report(String setup, Arch arch, long n, int kept) throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf(Locale.ROOT, "{\"setup\":\"%s\",\"arch\":\"%s\",\"n\":%d,\"logRecords\":%d,"
                        + "\"heapUsedAfterGc\":%d,\"heapCommitted\":%d,\"vmRssKiB\":%d,\"nmtNonHeapCommittedKiB\":%d}%n",
                setup, arch.name().toLowerCase(Locale.ROOT), n, kept, heap.getUsed(), heap.getCommitted(), vmRssKiB(),
                nmtNonHeapCommittedKiB());
    }

    private static long vmRssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /**
     * The JVM's committed native memory outside the Java heap, from NMT ({@code jcmd VM.native_memory summary}:
     * total minus Java Heap), or -1 when NMT is off. Unicorn's own allocations are not tracked by NMT; VmRSS
     * covers them.
     */
    private static long nmtNonHeapCommittedKiB() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            long total = -1;
            long heap = 0;
            for (String line : out.toString().split("\n")) {
                if (line.contains("Total: reserved=")) {
                    total = committed(line);
                } else if (line.contains("Java Heap (reserved=")) {
                    heap = committed(line);
                }
            }
            return total < 0 ? -1 : total - heap;
        } catch (Exception e) {
            return -1;
        }
    }

    private static long committed(String line) {
        int c = line.indexOf("committed=");
        return Long.parseLong(line.substring(c + 10).replaceAll("[^0-9].*", ""));
    }
}
