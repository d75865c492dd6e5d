package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.run.HypercallRecord;
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
 * The full hypercall path: {@code hc_loop(n)} of {@code bench/guest/guest_<arch>.S} (n VMware GETVERSION backdoor
 * calls, {@code in eax, dx} / {@code mrs xzr, mdccsr_el0} with the X7 control word) run by {@link Probe#run}. Every
 * trap is decoded into a {@code TrapEvent}, answered by the hv-vmware plugin (found by ServiceLoader), applied to the
 * guest and logged in the run's {@code HypercallLog}; the run result copies the log, as every caller sees it.
 * The score is the time of one whole call (fresh plugin session included); {@code bench/run} divides it by n.
 * The C and Python peers run the same bytes with the same n.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HypercallBenchmark {
    @Param({"X86_64", "ARM64"})
    public Arch arch;

    /** Hypercalls per guest call (n); bench/run passes the same n to the peers. */
    @Param({"100000"})
    public long calls;

    private Probe probe;
    private GuestCall call;

    @Setup(Level.Trial)
    public void setUp() {
        probe = BenchGuests.open(arch);
        call = GuestCall.of("hc_loop", calls);
        RunResult r = roundTrips();
        check(r, calls);
    }

    /** Fails the trial unless {@code r} is n answered GETVERSION calls without findings, returning 6. */
    static void check(RunResult r, long n) {
        if (!r.returned() || r.returnValue() != BenchGuests.VERSION) {
            throw new IllegalStateException("hc_loop did not return " + BenchGuests.VERSION + ": " + r.call());
        }
        if (r.hypercallCount() != n) {
            throw new IllegalStateException("expected " + n + " hypercalls, saw " + r.hypercallCount());
        }
        HypercallRecord last = r.hypercalls().getLast();
        if (!last.command().equals("GETVERSION") || last.plugin().orElse("").isEmpty()) {
            throw new IllegalStateException("last hypercall was " + last.command() + " by " + last.plugin());
        }
        var ebx = last.after().arch() == Arch.X86_64 ? io.hvprobe.arch.X86Register.RBX
                : io.hvprobe.arch.Arm64Register.X1;
        if (last.after().get32(ebx) != 0x564D5868L) {
            throw new IllegalStateException("GETVERSION did not echo the magic: " + last.after());
        }
        if (!r.findings().isEmpty()) {
            throw new IllegalStateException("findings: " + r.findings());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        probe.close();
    }

    @Benchmark
    public RunResult roundTrips() {
        try {
            return probe.run(call);
        } catch (io.hvprobe.guest.UnknownFunctionException e) {
            throw new IllegalStateException(e);
        }
    }
}
