package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.trace.TraceOptions;
import io.hvprobe.trace.TraceResult;
import io.hvprobe.trace.TraceSink;
import io.hvprobe.trace.TraceWriters;
import io.hvprobe.trace.Tracer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * CPU time of the emulating thread per traced instruction of {@code trace_loop(n)}, for a loaded machine where
 * wall time says little: the same call as {@link TraceBenchmark} to a JSONL file ({@code file}) and to the discard
 * sink ({@code discard}), and the binding alone ({@code binding}: a code hook on the same range reading the
 * snapshot registers, as the C peer does). One JSON line per side on stdout with the best and median ns per
 * instruction over the measured calls: the emulating thread's CPU ({@code best_ns}, {@code median_ns}), the wall
 * time ({@code wall_*}: the throughput, once the trace writer runs on a second thread) and the whole process's CPU
 * over all measured calls ({@code process_ns}: both threads, the JIT and the GC; the OS counts it in clock ticks,
 * so only the sum over the calls is precise).
 *
 * <pre>java -cp benchmarks.jar io.hvprobe.bench.TraceCpuProbe x86_64 20000 5 15 [binding,discard,file]</pre>
 * (arch, n, warm-up calls, measured calls, optionally the sides to measure: also {@code upcall}, the code hook
 * alone, {@code format}, the JSONL writer into a null stream, and {@code writer}, the file side again with
 * {@code best_ns}/{@code median_ns} the CPU of the thread that formats and writes once the trace has moved it off
 * the emulating thread, per instruction written there). The file is created in
 * {@code -Dhvprobe.bench.traceDir} (default: the temporary directory), truncated for every call.
 */
public final class TraceCpuProbe {
    private TraceCpuProbe() {
    }

    public static void main(String[] args) throws Exception {
        Arch arch = Arch.valueOf(args[0].toUpperCase(Locale.ROOT));
        long n = Long.parseLong(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int measured = Integer.parseInt(args[3]);
        long instructions = BenchGuests.traceInstructions(n);
        Path file = Files.createTempFile(Path.of(System.getProperty("hvprobe.bench.traceDir",
                System.getProperty("java.io.tmpdir"))), "hvprobe-trace-cpu", ".jsonl");
        try (Probe probe = BenchGuests.open(arch)) {
            GuestCall call = GuestCall.of("trace_loop", n);
            String[] sides = args.length > 4 ? args[4].split(",") : new String[] {"binding", "discard", "file"};
            for (String side : sides) {
                long[] ns = new long[measured];
                long[] wall = new long[measured];
                long process = 0;
                for (int i = 0; i < warmup + measured; i++) {
                    long w0 = System.nanoTime();
                    long p0 = processCpuNanos();
                    long t = cpuNanos(() -> run(side, probe, call, file, instructions));
                    if (side.equals("writer")) {
                        t = Math.round(lastWriterNanos * instructions);
                    }
                    if (i >= warmup) {
                        ns[i - warmup] = t;
                        wall[i - warmup] = System.nanoTime() - w0;
                        process += processCpuNanos() - p0;
                    }
                }
                System.out.printf(Locale.ROOT,
                        "{\"arch\":\"%s\",\"side\":\"%s\",\"instructions\":%d,%s,%s,\"process_ns\":%.1f}%n",
                        arch.name().toLowerCase(Locale.ROOT), side, instructions, perInstruction("", ns, instructions),
                        perInstruction("wall_", wall, instructions), (double) process / measured / instructions);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void run(String side, Probe probe, GuestCall call, Path file, long instructions) {
        try {
            long traced;
            switch (side) {
                case "binding" -> traced = bindingOnly(probe, call, true);
                case "upcall" -> traced = bindingOnly(probe, call, false);
                case "discard" -> {
                    try (TraceSink sink = TraceWriters.discard()) {
                        traced = Tracer.trace(probe, call, TraceOptions.defaults(), sink).end().instructions();
                    }
                }
                case "format" -> {
                    try (TraceSink sink = TraceWriters.jsonl(OutputStream.nullOutputStream())) {
                        traced = Tracer.trace(probe, call, TraceOptions.defaults(), sink).end().instructions();
                    }
                }
                case "writer" -> {
                    try (OutputStream out = Files.newOutputStream(file);
                         WriterClock sink = new WriterClock(TraceWriters.jsonl(out))) {
                        traced = Tracer.trace(probe, call, TraceOptions.defaults(), sink).end().instructions();
                        lastWriterNanos = sink.nanosPerInstruction();
                    }
                }
                case "file" -> {
                    try (OutputStream out = Files.newOutputStream(file); TraceSink sink = TraceWriters.jsonl(out)) {
                        TraceResult r = Tracer.trace(probe, call, TraceOptions.defaults(), sink);
                        traced = r.end().instructions();
                    }
                }
                default -> throw new IllegalArgumentException(side);
            }
            if (traced != instructions) {
                throw new IllegalStateException(side + ": expected " + instructions + " instructions, saw " + traced);
            }
        } catch (IOException | UnknownFunctionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The writer side's last figure: thread CPU per instruction on the thread that wrote them. */
    private static double lastWriterNanos = Double.NaN;

    /**
     * Passes everything on and samples the CPU time of the thread making the instruction calls every 1,024
     * instructions, from the first sample on a thread other than the one that made this sink (the writer thread).
     */
    private static final class WriterClock implements TraceSink {
        private final TraceSink target;
        private final Thread owner = Thread.currentThread();
        private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private long firstIndex = -1;
        private long firstCpu;
        private long lastIndex;
        private long lastCpu;

        WriterClock(TraceSink target) {
            this.target = target;
        }

        double nanosPerInstruction() {
            return firstIndex < 0 || lastIndex == firstIndex ? Double.NaN
                    : (double) (lastCpu - firstCpu) / (lastIndex - firstIndex);
        }

        @Override
        public void instruction(long index, io.hvprobe.trace.InstructionInfo insn, long[] before, long[] after,
                                io.hvprobe.trace.MemoryWrites writes) {
            target.instruction(index, insn, before, after, writes);
            if ((index & 1023) == 0 && Thread.currentThread() != owner) {
                long cpu = mx.getCurrentThreadCpuTime();
                if (firstIndex < 0) {
                    firstIndex = index;
                    firstCpu = cpu;
                }
                lastIndex = index;
                lastCpu = cpu;
            }
        }

        @Override
        public void start(TraceStart start) {
            target.start(start);
        }

        @Override
        public void entry(long[] registers) {
            target.entry(registers);
        }

        @Override
        public void hypercallEnter(io.hvprobe.trace.HypercallDigest call) {
            target.hypercallEnter(call);
        }

        @Override
        public void hypercallExit(io.hvprobe.trace.HypercallDigest call) {
            target.hypercallExit(call);
        }

        @Override
        public void end(io.hvprobe.trace.TraceEnd end) {
            target.end(end);
        }

        @Override
        public void close() {
            target.close();
        }
    }

    /** A code hook over the guest's code reading the snapshot registers per instruction, nothing else. */
    private static long bindingOnly(Probe probe, GuestCall call, boolean read) throws UnknownFunctionException {
        Instrumentation in = probe.machine().instrumentation();
        long[] regs = new long[probe.machine().arch().registers().size()];
        long[] count = new long[1];
        var segment = probe.machine().image().segments().stream().filter(s -> s.permissions().execute())
                .findFirst().orElseThrow();
        Instrumentation.Hook h = in.hookCode(segment.address(), segment.end() - 1, (address, size) -> {
            if (read) {
                in.readRegisters(regs);
            }
            count[0]++;
        });
        try {
            probe.run(call);
        } finally {
            in.hookDelete(h);
        }
        return count[0];
    }

    /** {@code "<prefix>best_ns":..,"<prefix>median_ns":..}; sorts {@code ns}. */
    private static String perInstruction(String prefix, long[] ns, long instructions) {
        Arrays.sort(ns);
        return String.format(Locale.ROOT, "\"%sbest_ns\":%.1f,\"%smedian_ns\":%.1f", prefix,
                (double) ns[0] / instructions, prefix, (double) ns[ns.length / 2] / instructions);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long cpuNanos(Runnable r) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        r.run();
        return mx.getCurrentThreadCpuTime() - t0;
    }
}
