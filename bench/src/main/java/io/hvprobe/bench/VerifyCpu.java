package io.hvprobe.bench;

import io.hvprobe.api.Probe;
import io.hvprobe.arch.Arch;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link VerifyBenchmark}'s cells (plain run against verification of the same call) in the emulating thread's CPU time
 * instead of wall time, so that the ratio means something on a loaded machine: per cell, warm-up runs of each, then
 * plain and verify runs alternately; one JSON line per cell with the best and median CPU milliseconds of each and
 * verify / plain of the best runs.
 *
 * <pre>java -cp benchmarks.jar io.hvprobe.bench.VerifyCpu x86_64 late 250000 1 3</pre>
 *
 * Arguments: architecture, workload ({@code dense} or {@code late}), instructions, warm-up runs, measured runs.
 */
public final class VerifyCpu {

    private VerifyCpu() {
    }

    /** {@link VerifyBenchmark}'s call for {@code workload} of about {@code instructions} guest instructions. */
    static GuestCall call(Arch arch, String workload, long instructions) {
        return switch (workload) {
            case "dense" -> GuestCall.of("hc_loop", instructions / (arch == Arch.X86_64 ? 7 : 8));
            case "late" -> GuestCall.of("work_then_hc", instructions / 3);
            default -> throw new IllegalArgumentException("workload " + workload);
        };
    }

    public static void main(String[] args) throws UnknownFunctionException, io.hvprobe.loader.LoadException {
        Arch arch = Arch.valueOf(args[0].toUpperCase(Locale.ROOT));
        String workload = args[1];
        long instructions = Long.parseLong(args[2]);
        int warmUps = Integer.parseInt(args[3]);
        int runs = Integer.parseInt(args[4]);
        var threads = ManagementFactory.getThreadMXBean();
        GuestCall call = call(arch, workload, instructions);
        Verifier verifier = new Verifier(VerifyOptions.defaults());
        try (Probe probe = Probe.open(BenchGuests.object(arch), io.hvprobe.api.ProbeOptions.defaults())) {
            String verdict = "";
            for (int i = 0; i < warmUps; i++) {
                probe.run(call);
                verdict = verdict(verifier.verify(probe, call));
            }
            double[] plain = new double[runs];
            double[] verify = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = threads.getCurrentThreadCpuTime();
                probe.run(call);
                long t1 = threads.getCurrentThreadCpuTime();
                Verification v = verifier.verify(probe, call);
                long t2 = threads.getCurrentThreadCpuTime();
                if (!verdict.isEmpty() && !verdict.equals(verdict(v))) {
                    throw new IllegalStateException("the verdict changed between runs: " + verdict + " / "
                            + verdict(v));
                }
                verdict = verdict(v);
                plain[i] = (t1 - t0) / 1e6;
                verify[i] = (t2 - t1) / 1e6;
            }
            Arrays.sort(plain);
            Arrays.sort(verify);
            System.out.printf(Locale.ROOT, "{\"arch\":\"%s\",\"workload\":\"%s\",\"instructions\":%d,\"runs\":%d,"
                            + "\"plain_ms_best\":%.2f,\"plain_ms_median\":%.2f,\"verify_ms_best\":%.2f,"
                            + "\"verify_ms_median\":%.2f,\"verify_over_plain\":%.2f,\"verdict\":\"%s\"}%n",
                    arch.name().toLowerCase(Locale.ROOT), workload, instructions, runs, plain[0], plain[runs / 2],
                    verify[0], verify[runs / 2], verify[0] / plain[0], verdict);
        }
    }

    /** The findings' rule ids and severities and the notes, to check that every run reaches the same verdict. */
    private static String verdict(Verification v) {
        return (v.findings().stream().map(f -> f.finding().ruleId() + "/" + f.finding().severity()).toList() + " "
                + v.notes() + " " + v.cost()).replace('"', '\'');
    }
}
