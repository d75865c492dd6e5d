package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.api.TrapPoint;
import io.hvprobe.arch.X86Register;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.trap.TrapInterceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.hvprobe.elf.Toolchain.asmFunction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rerun started at the baseline's first trap ({@link Probe#resume}) is the rerun from the entry: same return,
 * registers, buffers, hypercalls, instruction count and faults, whatever the hypervisor answers from that trap on; and
 * where something besides the guest's own instructions ran before the first trap, no point is taken.
 */
class RestartedRerunTest {

    private static final String TRAP = "mov eax, 0x564d5868\n mov edx, 0x5658\n mov ecx, 1\n in eax, dx\n";

    private static final String SOURCE = """
            .intel_syntax noprefix
            .text
            """
            // Arithmetic, stores to .data, the buffer argument and the stack, then the trap; RSI (may change) is read
            // after it, and R12 restored from the stack.
            + asmFunction("late", "mov r9, rsi\n xor eax, eax\n mov ecx, edi\n 1: add eax, ecx\n imul eax, eax, 3\n"
                    + " mov [rip + acc], eax\n dec ecx\n jnz 1b\n mov [r9], eax\n mov r8d, eax\n mov esi, 5\n"
                    + " push r12\n mov r12, 0x1234\n" + TRAP
                    + " lea eax, [rsi + r8]\n add eax, [rip + acc]\n pop r12\n ret")
            + asmFunction("counted", "inc dword ptr [rip + calls]\n" + TRAP + " mov eax, [rip + calls]\n ret")
            // Long enough before the trap for the loop watch to set a watch point; endless after it.
            + asmFunction("endless_after", "mov ecx, 6000\n 1: dec ecx\n jnz 1b\n" + TRAP + " 2: jmp 2b")
            + asmFunction("stub_first", "call external_helper\n" + TRAP + " ret")
            + ".data\nacc: .long 0\ncalls: .long 0\n";

    private static Probe probe;

    @BeforeAll
    static void assemble() throws Exception {
        Path object = Toolchain.assembleX86(Files.createTempDirectory("hvprobe-restart"), "r", SOURCE);
        probe = Probe.open(object, ProbeOptions.defaults().withHypervisor("test-hv"));
    }

    @AfterAll
    static void close() {
        if (probe != null) {
            probe.close();
        }
    }

    private static final GuestCall LATE = new GuestCall("late", List.of(new Argument.Value(500),
            Argument.Buffer.zeroed(8)));

    /** The run with its point at the first trap, if one was taken. */
    private static Optional<TrapPoint> baseline(GuestCall call) throws Exception {
        List<Optional<TrapPoint>> told = runTelling(call);
        return told.isEmpty() ? Optional.empty() : told.getFirst();
    }

    /**
     * Runs {@code call} asking for a point at its first trap only; what it was told (a point, or empty for a
     * refusal).
     */
    private static List<Optional<TrapPoint>> runTelling(GuestCall call) throws Exception {
        List<Optional<TrapPoint>> told = new ArrayList<>();
        SeekingRun.run(probe, call, new Probe.TrapPointSeeker() {
            @Override
            public boolean wants(long trap, long instructions) {
                return trap == 0;
            }

            @Override
            public void take(TrapPoint point) {
                told.add(Optional.of(point));
            }

            @Override
            public void refused() {
                told.add(Optional.empty());
            }
        });
        return told;
    }

    /** Runs {@code run} with the hypervisor's answer changed at every trap by {@code adjuster}. */
    private static String answered(TrapInterceptor.WriteAdjuster adjuster, Run run) throws Exception {
        TrapInterceptor.WriteAdjuster previous = probe.interceptor().writeAdjuster();
        probe.interceptor().setWriteAdjuster(adjuster);
        try {
            return RunView.of(probe, run.run());
        } finally {
            probe.interceptor().setWriteAdjuster(previous);
        }
    }

    private interface Run {
        RunResult run() throws Exception;
    }

    /** The answers a differential rerun gives: as the model says, with RSI poisoned, with EAX changed. */
    private static final List<TrapInterceptor.WriteAdjuster> ANSWERS = List.of(
            (e, o, w) -> w,
            (e, o, w) -> append(w, RegisterWrite.w64(X86Register.RSI, 0xDEAD_BEEF_0000_0001L)),
            (e, o, w) -> append(w, RegisterWrite.w64(X86Register.RAX, 0x7777)));

    private static List<RegisterWrite> append(List<RegisterWrite> writes, RegisterWrite w) {
        List<RegisterWrite> out = new ArrayList<>(writes);
        out.add(w);
        return out;
    }

    @Test
    void aRerunFromTheFirstTrapSeesWhatARerunFromTheEntrySeesWhateverTheAnswer() throws Exception {
        for (GuestCall call : List.of(LATE, GuestCall.of("counted"))) {
            try (TrapPoint point = baseline(call).orElseThrow()) {
                assertThat(point.instructionsExecuted()).isPositive();
                for (TrapInterceptor.WriteAdjuster answer : ANSWERS) {
                    String fromEntry = answered(answer, () -> probe.run(call));
                    assertThat(answered(answer, () -> probe.resume(call, point, 0))).isEqualTo(fromEntry);
                }
            }
        }
        // The .data counter was incremented once before the trap, as in the run from the entry.
        try (TrapPoint point = baseline(GuestCall.of("counted")).orElseThrow()) {
            assertThat(probe.resume(GuestCall.of("counted"), point, 0).returnValue()).isEqualTo(1);
        }
    }

    @Test
    void theLoopWatchGoesOnFromThePointAsInTheRunFromTheEntry() throws Exception {
        GuestCall call = GuestCall.of("endless_after");
        try (TrapPoint point = baseline(call).orElseThrow()) {
            String fromEntry = RunView.of(probe, probe.run(call));
            assertThat(fromEntry).contains("the call never ends");
            assertThat(RunView.of(probe, probe.resume(call, point, 0))).isEqualTo(fromEntry);
        }
    }

    @Test
    void aResumedRunEndsAsTheRunFromTheEntryUnlessTheLimitEndsItEarlier() throws Exception {
        // The limit counts from the entry, and a resumed run counts the trap's block whole: it may stop up to that
        // block's length earlier than the run from the entry (the verifier then reruns from the entry), never later:
        // a resumed run that the limit did not end is the run from the entry.
        try (TrapPoint point = baseline(LATE).orElseThrow()) {
            int earlier = 0;
            for (long limit = point.instructionsExecuted() - 6; limit <= point.instructionsExecuted() + 6; limit++) {
                String fromEntry = RunView.of(probe, probe.run(LATE, limit));
                RunResult resumed = probe.resume(LATE, point, limit);
                if (resumed.call() instanceof CallResult.Faulted f && f.fault().kind() == Fault.Kind.BUDGET_EXHAUSTED) {
                    earlier += RunView.of(probe, resumed).equals(fromEntry) ? 0 : 1;
                } else {
                    assertThat(RunView.of(probe, resumed)).isEqualTo(fromEntry);
                }
            }
            assertThat(earlier).isPositive();
        }
    }

    private static Fault.Kind kind(RunResult r) {
        return ((CallResult.Faulted) r.call()).fault().kind();
    }

    @Test
    void noPointIsTakenWhereAKernelStubRanBeforeTheFirstTrap() throws Exception {
        assertThat(baseline(GuestCall.of("stub_first"))).isEmpty();
        // Only the next run is asked: a later run takes no point.
        List<Optional<TrapPoint>> told = runTelling(GuestCall.of("stub_first"));
        probe.run(GuestCall.of("counted"));
        assertThat(told).containsExactly(Optional.empty());
    }

    @Test
    void theVerifierStartsItsRerunsAtTheFirstTrapAndFromTheEntryOnlyWhenItMust() throws Exception {
        Verifier verifier = new Verifier(VerifyOptions.defaults());
        assertThat(entriesDuringVerify(verifier, LATE)).isEqualTo(1); // the baseline only
        // the baseline and 2 poisoned reruns
        assertThat(entriesDuringVerify(verifier, GuestCall.of("stub_first"))).isEqualTo(3);
        // A path longer than the recorded one: the reruns (the one without poison too) still start at the trap.
        Verifier shortPaths = new Verifier(new VerifyOptions(2, 0x5eed, 1000, java.util.Set.of()));
        assertThat(entriesDuringVerify(shortPaths, LATE)).isEqualTo(1);
        Verification limited = shortPaths.verify(probe, LATE);
        assertThat(limited.notes()).containsExactly("path analysis limited to the first 1000 instructions");
        // The instructions past the recorded path still count in the cost.
        assertThat(limited.cost().instructions()).isEqualTo(verifier.verify(probe, LATE).cost().instructions())
                .isGreaterThan(2500);
    }

    /** How many times the verification of {@code call} entered the function. */
    private static int entriesDuringVerify(Verifier verifier, GuestCall call) throws Exception {
        long entry = probe.image().symbol(call.function()).orElseThrow().address();
        int[] entries = new int[1];
        Instrumentation uc = probe.machine().instrumentation();
        Instrumentation.Hook hook = uc.hookCode(entry, entry, (address, size) -> entries[0]++);
        try {
            verifier.verify(probe, call);
        } finally {
            uc.hookDelete(hook);
        }
        return entries[0];
    }
}
