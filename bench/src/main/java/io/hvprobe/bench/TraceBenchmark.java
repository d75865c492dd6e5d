package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.trace.TraceOptions;
import io.hvprobe.trace.TraceResult;
import io.hvprobe.trace.TraceSink;
import io.hvprobe.trace.TraceWriters;
import io.hvprobe.trace.Tracer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The full trace path: {@code trace_loop(n)} of {@code bench/guest/guest_<arch>.S} (5n + 5 instructions) traced by
 * hvprobe's own {@link Tracer} with the default options (changed registers after every instruction, disassembly
 * cached per address) into the JSONL writer, written to a file that is truncated for every call. The score is the
 * time of one whole traced call; {@code bench/run} divides it by the instruction count. The C and Python peers run
 * the same bytes with the same n.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TraceBenchmark {
    @Param({"X86_64", "ARM64"})
    public Arch arch;

    /** Loop iterations (n); bench/run passes the same n to the peers. */
    @Param({"20000"})
    public long iterations;

    private Probe probe;
    private GuestCall call;
    private Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        probe = BenchGuests.open(arch);
        call = GuestCall.of("trace_loop", iterations);
        file = Files.createTempFile("hvprobe-bench-trace", ".jsonl");
        TraceResult r = traceToFile();
        long expected = BenchGuests.traceInstructions(iterations);
        if (r.end().instructions() != expected || !r.run().returned()) {
            throw new IllegalStateException("expected " + expected + " traced instructions and a return, saw "
                    + r.end().instructions() + ", " + r.run().call());
        }
        long lines;
        try (var s = Files.lines(file)) {
            lines = s.filter(l -> l.startsWith("{\"type\":\"insn\"")).count();
        }
        if (lines != expected) {
            throw new IllegalStateException("expected " + expected + " insn lines in " + file + ", saw " + lines);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        probe.close();
        Files.deleteIfExists(file);
    }

    /**
     * The same traced call with {@link TraceWriters#discard()} instead of the JSONL file: the tracer and the binding
     * without formatting and I/O, to split the cost of a traced instruction.
     */
    @Benchmark
    public TraceResult traceToDiscard() {
        try (TraceSink sink = TraceWriters.discard()) {
            return Tracer.trace(probe, call, TraceOptions.defaults(), sink);
        } catch (io.hvprobe.guest.UnknownFunctionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public TraceResult traceToFile() {
        try (OutputStream out = Files.newOutputStream(file); TraceSink sink = TraceWriters.jsonl(out)) {
            return Tracer.trace(probe, call, TraceOptions.defaults(), sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (io.hvprobe.guest.UnknownFunctionException e) {
            throw new IllegalStateException(e);
        }
    }
}
