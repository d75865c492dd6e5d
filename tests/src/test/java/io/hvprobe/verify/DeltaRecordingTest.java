package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.Instrumentation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The path recorder's register deltas ({@link PathRecorder.Reads.Deltas}) record the path that reading every register
 * at every step records, on the firmware samples' trap functions of both architectures; and write sets that miss a
 * register make the recording inexact, so that the verifier records the run again in full and reaches the same
 * verdict.
 *
 * <p>In the verifier's package for {@link PathRecorder} and {@link ExecutionPath}; the samples are the build
 * matrix's (the {@code hvprobe.matrix.dir} the reactor built before this module).
 */
class DeltaRecordingTest {
    /** Every unit of one optimisation cell per architecture, and -O0's spills. */
    private static final List<String> X86_64 = List.of("x86_64/gcc/O2/balloon-port.o", "x86_64/gcc/O2/bugs-port.o",
            "x86_64/gcc/O2/clock-port.o", "x86_64/gcc/O2/detect-port.o", "x86_64/gcc/O2/ipxe-port.o",
            "x86_64/gcc/O2/ovt-port.o", "x86_64/gcc/O2/rpc-port.o", "x86_64/gcc/O2/vmmouse-port.o",
            "x86_64/gcc/O2/kvm_hc-vmcall.o", "x86_64/clang/O0/rpc-port.o");
    private static final List<String> ARM64 = List.of("arm64/clang/O2/bugs-mrs.o", "arm64/clang/O2/clock-mrs.o",
            "arm64/clang/O2/detect-hvc.o", "arm64/clang/O2/ovt_a64-mrs.o", "arm64/clang/O2/rpc-mrs.o",
            "arm64/clang/O2/smccc-hvc.o", "arm64/clang/O2/vmmouse-mrs.o", "arm64/clang/O2/vmwgfx_a64-mrs.o",
            "arm64/gcc/O2/bugs-mrs.o", "arm64/gcc/O2/clock-mrs.o", "arm64/gcc/O2/detect-mrs.o",
            "arm64/gcc/O2/mut_vmwgfx_x1-mrs.o", "arm64/gcc/O2/ovt_a64-mrs.o", "arm64/gcc/O2/vmmouse-hvc.o",
            "arm64/gcc/O2/vmwgfx_a64-mrs.o", "arm64/gcc/O0/rpc-mrs.o");
    /** Paths and runs bounded: a function given buffers as numbers may loop long. */
    private static final int PATH = 20_000;
    private static final long LIMIT = 40_000;

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void deltasRecordTheFullRecordingsPath(String arch) throws Exception {
        int functions = 0;
        int traps = 0;
        long steps = 0;
        long fullReads = 0;
        for (String object : arch.equals("x86_64") ? X86_64 : ARM64) {
            try (Probe probe = Probe.open(sample(object), ProbeOptions.defaults())) {
                for (String function : trapFunctions(probe)) {
                    GuestCall call = new GuestCall(function, buffers());
                    ExecutionPath full = record(probe, call, PathRecorder.Reads.EVERY_STEP).path();
                    Recorded deltas = record(probe, call, new PathRecorder.Reads.Deltas(
                            new DecodedInstructions(probe.machine())));
                    assertThat(text(deltas.path())).as(object + " " + function).isEqualTo(text(full));
                    functions++;
                    traps += full.traps().size();
                    steps += full.length();
                    fullReads += deltas.recorder().fullReads();
                }
            }
        }
        assertThat(functions).isGreaterThan(40);
        assertThat(traps).isGreaterThan(50);
        // Not a full read at every step in disguise. These paths are short, so most steps run an instruction for the
        // first time, which is checked by a full read after it; a quarter or more read only what it may have written.
        assertThat(fullReads).isLessThan(steps * 3 / 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void writeSetsThatMissARegisterMakeTheRecordingInexact(String arch) throws Exception {
        try (LoopingCall looping = loopingCall(arch)) {
            Probe probe = looping.probe();
            GuestCall call = looping.call();
            // Wrong on purpose: no instruction writes anything.
            PathRecorder wrong = attach(probe, new PathRecorder.Reads.Deltas(address -> new int[0]));
            probe.run(call, LIMIT);
            wrong.detach();
            wrong.restart().ifPresent(Restart::close);
            assertThat(wrong.exact()).isFalse();

            PathRecorder right = attach(probe, new PathRecorder.Reads.Deltas(new DecodedInstructions(probe.machine())));
            probe.run(call, LIMIT);
            right.detach();
            right.restart().ifPresent(Restart::close);
            assertThat(right.exact()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void anInexactRecordingIsMadeAgainInFullWithTheSameVerdict(String arch) throws Exception {
        try (LoopingCall looping = loopingCall(arch)) {
            Probe probe = looping.probe();
            GuestCall call = looping.call();
            long entry = probe.image().symbol(call.function()).orElseThrow().address();
            int[] entered = {0};
            Instrumentation uc = probe.machine().instrumentation();
            Instrumentation.Hook hook = uc.hookCode(entry, entry, (address, size) -> entered[0]++);
            try {
                Verification right = new Verifier(VerifyOptions.defaults()).verify(probe, call);
                int rightEntries = entered[0];
                entered[0] = 0;
                Verification wrong = new Verifier(VerifyOptions.defaults(), decoded -> address -> new int[0])
                        .verify(probe, call);
                assertThat(entered[0]).as("the baseline ran twice").isEqualTo(rightEntries + 1);
                assertThat(wrong.findings()).isEqualTo(right.findings());
                assertThat(wrong.unconfirmed()).isEqualTo(right.unconfirmed());
                assertThat(wrong.notes()).isEqualTo(right.notes());
                assertThat(wrong.cost()).isEqualTo(right.cost());
            } finally {
                uc.hookDelete(hook);
            }
        }
    }

    private static Path sample(String object) {
        Path p = Path.of(System.getProperty("hvprobe.matrix.dir", "../firmware-samples/target/matrix")).resolve(object);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no sample " + p + " (build firmware-samples first)");
        }
        return p;
    }

    /** The functions holding a trap site, by name. */
    private static List<String> trapFunctions(Probe probe) {
        TreeSet<String> names = new TreeSet<>();
        probe.sites().forEach(s -> names.add(probe.siteOf(s.address()).function()));
        names.remove("");
        return List.copyOf(names);
    }

    /** A probe and a call of one of its trap functions; closing it closes the probe. */
    private record LoopingCall(Probe probe, GuestCall call) implements AutoCloseable {
        @Override
        public void close() {
            probe.close();
        }
    }

    /**
     * A call of the first trap function, among the samples of {@code arch}, whose path runs some instruction more than
     * once: write sets are used from an address's second run on (every register is read after its first), so only a
     * loop or a repeated call puts them to the test.
     */
    private static LoopingCall loopingCall(String arch) throws Exception {
        for (String object : arch.equals("x86_64") ? X86_64 : ARM64) {
            Probe probe = Probe.open(sample(object), ProbeOptions.defaults());
            for (String function : trapFunctions(probe)) {
                GuestCall call = new GuestCall(function, buffers());
                ExecutionPath path = record(probe, call, PathRecorder.Reads.EVERY_STEP).path();
                java.util.Set<Long> seen = new java.util.HashSet<>();
                for (int i = 0; i < path.length(); i++) {
                    if (!seen.add(path.address(i))) {
                        return new LoopingCall(probe, call);
                    }
                }
            }
            probe.close();
        }
        throw new IllegalStateException("no trap function of the " + arch + " samples runs an instruction twice");
    }

    /** Four zeroed buffers: pointers for functions that take them, large numbers for those that take values. */
    private static List<Argument> buffers() {
        return List.of(Argument.Buffer.zeroed(4096), Argument.Buffer.zeroed(4096), Argument.Buffer.zeroed(4096),
                Argument.Buffer.zeroed(4096));
    }

    private static PathRecorder attach(Probe probe, PathRecorder.Reads reads) {
        return PathRecorder.attach(probe, PATH, true, reads);
    }

    /** A recorder after its run, and the path it recorded. */
    private record Recorded(PathRecorder recorder, ExecutionPath path) {
    }

    /** A run of {@code call} recorded with {@code reads}, which must be exact. */
    private static Recorded record(Probe probe, GuestCall call, PathRecorder.Reads reads) throws Exception {
        PathRecorder r = attach(probe, reads);
        ExecutionPath path;
        try {
            probe.run(call, LIMIT);
        } finally {
            path = r.detach();
            r.restart().ifPresent(Restart::close);
        }
        assertThat(r.exact()).isTrue();
        return new Recorded(r, path);
    }

    /** Everything the analyses can ask of a path, as text. */
    private static String text(ExecutionPath p) {
        List<String> out = new ArrayList<>();
        out.add("length " + p.length() + " executed " + p.executed() + " truncated " + p.truncated());
        for (int i = 0; i <= p.length(); i++) {
            out.add((i < p.length() ? Long.toHexString(p.address(i)) : "end") + " " + java.util.Arrays.toString(p.registers(i).toArray())
                    + (i < p.length() && p.isTrapAt(i) ? " trap " + p.trapAt(i).orElseThrow().record().event().sequence()
                    : ""));
        }
        for (int k = 0; k < p.readCount(); k++) {
            out.add("read " + p.readIndex(k) + " " + Long.toHexString(p.readAddress(k)) + " " + p.readSize(k));
        }
        for (int k = 0; k < p.writeCount(); k++) {
            out.add("write " + p.writeIndex(k) + " " + Long.toHexString(p.writeAddress(k)) + " " + p.writeSize(k));
        }
        return String.join("\n", out);
    }
}
