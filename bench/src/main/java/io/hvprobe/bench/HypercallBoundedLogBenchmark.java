package io.hvprobe.bench;

import io.hvprobe.arch.Arch;
import io.hvprobe.guest.CallResult;
import io.hvprobe.run.HypercallLog;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.trap.TrapInterceptor;
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
 * The same full hypercall path as {@link HypercallBenchmark} (trap, TrapEvent, the hv-vmware plugin from
 * ServiceLoader, outcome applied, record logged), assembled from the public {@link io.hvprobe.guest.GuestMachine} and
 * {@link TrapInterceptor} API with a hypercall log of 1,000 records instead of {@link io.hvprobe.api.Probe}'s
 * default {@value HypercallLog#DEFAULT_CAPACITY}. Every record is still built and handed to the log; only the
 * number kept differs. Comparing the two shows what keeping 100,000 records costs a run (garbage collection of a
 * large live set); the plugin session is opened once per trial instead of once per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HypercallBoundedLogBenchmark {
    static final int CAPACITY = 1_000;

    @Param({"X86_64", "ARM64"})
    public Arch arch;

    /** Hypercalls per guest call (n); bench/run passes the same n to the peers. */
    @Param({"100000"})
    public long calls;

    private BenchGuests.BoundedLogMachine bench;

    @Setup(Level.Trial)
    public void setUp() {
        bench = BenchGuests.BoundedLogMachine.open(arch, CAPACITY);
        roundTrips();
        HypercallRecord last = bench.log().records().getLast();
        if (!last.command().equals("GETVERSION") || !last.findings().isEmpty()) {
            throw new IllegalStateException("last hypercall: " + last.command() + " " + last.findings());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        bench.close();
    }

    @Benchmark
    public CallResult roundTrips() {
        return bench.hypercalls(calls);
    }
}
