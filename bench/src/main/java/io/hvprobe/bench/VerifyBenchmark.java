package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.LoadException;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
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
 * What verifying a function costs against running it once ({@code bench/run} prints verify / plain per path length;
 * issue 18's target is at most 3x for paths up to 250,000 instructions). Two workloads of about {@code instructions}
 * guest instructions each:
 * <ul>
 *   <li>{@code dense}: {@code hc_loop(n)}, a GETVERSION call every 7 (x86_64) / 8 (arm64) instructions — the flood
 *       case, where every rerun replays hypercalls from the entry;</li>
 *   <li>{@code late}: {@code work_then_hc(n)}, 3n instructions of arithmetic and then one GETVERSION call — the case
 *       where the rerun's inputs are the baseline's up to the trap.</li>
 * </ul>
 * {@code plain} is {@link Probe#run}; {@code verify} is {@link Verifier#verify} with the defaults (baseline run with a
 * recorded path, path analyses, two differential poison reruns).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class VerifyBenchmark {
    @Param({"X86_64", "ARM64"})
    public Arch arch;

    @Param({"dense", "late"})
    public String workload;

    /** Guest instructions per call (approximately: whole loop iterations). */
    @Param({"1000", "10000", "120000", "250000"})
    public long instructions;

    private Probe probe;
    private GuestCall call;
    private final Verifier verifier = new Verifier(VerifyOptions.defaults());

    @Setup(Level.Trial)
    public void setUp() throws UnknownFunctionException {
        // The probe defaults (10 M instruction budget, enough for these paths), as the figures in BENCHMARKS.md were
        // measured. (BenchGuests' unlimited budget once drew a false stack imbalance here: without Unicorn's count
        // hook, the path hook skipped code the plain run had translated; a919a6b fixed it, VerifierTest covers it.)
        try {
            probe = Probe.open(BenchGuests.object(arch), ProbeOptions.defaults());
        } catch (LoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        call = VerifyCpu.call(arch, workload, instructions);
        RunResult r = plain();
        if (!r.returned() || r.returnValue() != BenchGuests.VERSION) {
            throw new IllegalStateException(call + " did not return " + BenchGuests.VERSION + ": " + r.call());
        }
        Verification v = verify();
        // hc_loop sets EDX / X3 again after each trap: the redundant-save note is expected, nothing else.
        if (v.findings().stream().anyMatch(f -> f.finding().severity() != Severity.NOTE)) {
            throw new IllegalStateException(call + " has findings: " + v.findings());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        probe.close();
    }

    @Benchmark
    public RunResult plain() throws UnknownFunctionException {
        return probe.run(call);
    }

    @Benchmark
    public Verification verify() throws UnknownFunctionException {
        return verifier.verify(probe, call);
    }
}
