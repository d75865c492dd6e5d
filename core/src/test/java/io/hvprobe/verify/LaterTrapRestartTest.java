package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.api.TrapPoint;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.trap.TrapInterceptor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.hvprobe.elf.Toolchain.asmFunction;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rerun started at a point the baseline took at a later trap ({@link Probe#resume}) is the rerun from the entry —
 * return, registers, buffer, stub calls, hypercalls with sequence numbers and registers before and after, instruction
 * count, events — on a path with a trap every few instructions whose answers change at every call (a session counter,
 * so a point that carried the start session instead of the one at its trap answers differently), whatever the
 * hypervisor answers from the point's trap on; and the verifier's reruns start at such points.
 */
class LaterTrapRestartTest {
    private static final int ROUNDS = 12;
    private static final GuestCall DENSE = new GuestCall("dense", List.of(new Argument.Value(ROUNDS),
            Argument.Buffer.zeroed(8)));

    /**
     * Per round: the counter call, stores to .data, the buffer and the stack, then command 1 and a read of its scratch,
     * then 1,200 instructions of counting (the verifier takes a later point only a few thousand instructions after the
     * one before it). On x86 first command 3, whose answer writes a page the guest never writes (read at the end).
     */
    private static final String X86 = """
            .intel_syntax noprefix
            .text
            """ + asmFunction("dense", """
            mov r8d, edi
             xor r9d, r9d
             mov r10, rsi
             mov eax, 0x564d5868
             mov edx, 0x5658
             mov ecx, 3
             lea rdi, [rip + answered]
             in eax, dx
            1: mov eax, 0x564d5868
             mov edx, 0x5658
             mov ecx, 9
             in eax, dx
             add r9d, eax
             mov [rip + acc], r9d
             mov [r10], r9d
             push r9
             mov eax, 0x564d5868
             mov ecx, 1
             in eax, dx
             pop r9
             add r9d, esi
             mov esi, 3
             mov r11d, 600
            2: dec r11d
             jnz 2b
             dec r8d
             jnz 1b
             movzx eax, byte ptr [rip + answered]
             add eax, r9d
             ret""") + ".data\nacc: .long 0\n.bss\n.balign 4096\nanswered: .skip 4096\n";

    private static final String ARM64 = """
            .text
            """ + asmFunction("dense", """
            mov x8, x0
             mov w9, #0
             mov x10, x1
             adrp x11, acc
             add x11, x11, :lo12:acc
            1: movz w0, #0x5868
             movk w0, #0x564d, lsl #16
             mov x1, #9
             hvc #0
             add w9, w9, w0
             str w9, [x11]
             str w9, [x10]
             stp x9, x10, [sp, #-16]!
             movz w0, #0x5868
             movk w0, #0x564d, lsl #16
             mov x1, #1
             hvc #0
             ldp x9, x10, [sp], #16
             add w9, w9, w2
             mov x2, #3
             mov x12, #600
            2: subs x12, x12, #1
             b.ne 2b
             subs x8, x8, #1
             b.ne 1b
             mov w0, w9
             ret""") + ".data\nacc: .long 0\n";

    private static final Map<Arch, Probe> PROBES = new EnumMap<>(Arch.class);

    @BeforeAll
    static void assemble() throws Exception {
        Path dir = Files.createTempDirectory("hvprobe-later-restart");
        ProbeOptions options = ProbeOptions.defaults().withHypervisor("test-hv");
        PROBES.put(Arch.X86_64, Probe.open(Toolchain.assembleX86(dir, "dense-x86", X86), options));
        PROBES.put(Arch.ARM64, Probe.open(Toolchain.assembleArm64(dir, "dense-arm64", ARM64), options));
    }

    @AfterAll
    static void close() {
        PROBES.values().forEach(Probe::close);
    }

    /** The traps of one call: on x86 command 3 before the rounds. */
    private static int traps(Arch arch) {
        return 2 * ROUNDS + (arch == Arch.X86_64 ? 1 : 0);
    }

    /** The scratch register command 1 may change, which the function reads after it. */
    private static GuestRegister scratch(Arch arch) {
        return arch == Arch.X86_64 ? X86Register.RSI : Arm64Register.X2;
    }

    /** Runs {@code call} taking a point at every trap. */
    private static List<TrapPoint> pointsAtEveryTrap(Probe probe, GuestCall call) throws Exception {
        List<TrapPoint> points = new ArrayList<>();
        SeekingRun.run(probe, call, new Probe.TrapPointSeeker() {
            @Override
            public boolean wants(long trap, long instructions) {
                return true;
            }

            @Override
            public void take(TrapPoint point) {
                points.add(point);
            }

            @Override
            public void refused() {
                throw new AssertionError("no point refused on a path of guest instructions and traps");
            }
        });
        return points;
    }

    private interface Run {
        RunResult run() throws Exception;
    }

    private static String answered(Probe probe, TrapInterceptor.WriteAdjuster adjuster, Run run) throws Exception {
        TrapInterceptor.WriteAdjuster previous = probe.interceptor().writeAdjuster();
        probe.interceptor().setWriteAdjuster(adjuster);
        try {
            return RunView.of(probe, run.run());
        } finally {
            probe.interceptor().setWriteAdjuster(previous);
        }
    }

    /** The model's answers up to trap {@code from}, then the scratch register changed, differently at each trap. */
    private static TrapInterceptor.WriteAdjuster changedFrom(Arch arch, long from) {
        return (e, o, w) -> {
            if (e.sequence() < from) {
                return w;
            }
            List<RegisterWrite> out = new ArrayList<>(w);
            out.add(RegisterWrite.w64(scratch(arch), 0xDEAD_0000_0000_0000L + 7 * e.sequence()));
            return out;
        };
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aRerunStartedAtAnyTrapIsTheRerunFromTheEntryWhateverTheAnswersFromThere(Arch arch) throws Exception {
        Probe probe = PROBES.get(arch);
        List<TrapPoint> points = pointsAtEveryTrap(probe, DENSE);
        try {
            assertThat(points).hasSize(traps(arch));
            for (TrapPoint point : points) {
                for (TrapInterceptor.WriteAdjuster answer : List.of(changedFrom(arch, Long.MAX_VALUE),
                        changedFrom(arch, point.trap()))) {
                    String fromEntry = answered(probe, answer, () -> probe.run(DENSE));
                    assertThat(answered(probe, answer, () -> probe.resume(DENSE, point, 0)))
                            .as("resumed at trap %d", point.trap()).isEqualTo(fromEntry);
                }
            }
            // The counter went on from the session the point carried: the last count is the number of rounds less one.
            RunResult late = probe.resume(DENSE, points.getLast(), 0);
            HypercallRecord lastCount = late.hypercalls().get(traps(arch) - 2);
            assertThat(lastCount.command()).isEqualTo("CMD9");
            assertThat(lastCount.after().get32(arch == Arch.X86_64 ? X86Register.RAX : Arm64Register.X0))
                    .isEqualTo(ROUNDS - 1);
        } finally {
            points.forEach(TrapPoint::close);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aRunResumedAtALaterTrapEndsAsTheRunFromTheEntryUnlessTheLimitEndsItEarlier(Arch arch) throws Exception {
        Probe probe = PROBES.get(arch);
        List<TrapPoint> points = pointsAtEveryTrap(probe, DENSE);
        try {
            TrapPoint point = points.get(ROUNDS + 1);
            int earlier = 0;
            for (long limit = point.instructionsExecuted() - 6; limit <= point.instructionsExecuted() + 6; limit++) {
                String fromEntry = RunView.of(probe, probe.run(DENSE, limit));
                RunResult resumed = probe.resume(DENSE, point, limit);
                if (resumed.call() instanceof CallResult.Faulted f
                        && f.fault().kind() == Fault.Kind.BUDGET_EXHAUSTED) {
                    earlier += RunView.of(probe, resumed).equals(fromEntry) ? 0 : 1;
                } else {
                    assertThat(RunView.of(probe, resumed)).as("limit %d", limit).isEqualTo(fromEntry);
                }
            }
            assertThat(earlier).isPositive();
        } finally {
            points.forEach(TrapPoint::close);
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theVerifiersBisectionRerunsStartAtLaterTraps(Arch arch) throws Exception {
        Probe probe = PROBES.get(arch);
        long entry = probe.image().symbol("dense").orElseThrow().address();
        // The loop's first trap, and the instruction before it (5 bytes on x86, 4 on arm64).
        long firstTrap = probe.sites().get(arch == Arch.X86_64 ? 1 : 0).address();
        long before = firstTrap - (arch == Arch.X86_64 ? 5 : 4);
        int[] entries = new int[1];
        int[] firstTrapRuns = new int[1];
        int[] calls = new int[1];
        Instrumentation uc = probe.machine().instrumentation();
        Instrumentation.Hook atEntry = uc.hookCode(entry, entry, (address, size) -> entries[0]++);
        Instrumentation.Hook atTrap = uc.hookCode(before, before, (address, size) -> firstTrapRuns[0]++);
        probe.machine().addCallStartListener(() -> calls[0]++);
        Verification v;
        try {
            v = new Verifier(VerifyOptions.defaults()).verify(probe, DENSE);
        } finally {
            uc.hookDelete(atEntry);
            uc.hookDelete(atTrap);
        }
        // The scratch register read after command 1 is found, by bisection reruns.
        assertThat(v.findings()).anySatisfy(f -> assertThat(f.finding().ruleId()).isEqualTo("hvprobe.undefined-consumed"));
        assertThat(entries[0]).isEqualTo(1); // the baseline; every rerun started at a trap
        // Started at the path's first trap, every rerun would reach the instruction before the loop's first trap once
        // per round (on arm64 that trap is the path's first: but for the first round); the later starts reach it
        // fewer times (points are a few thousand instructions apart, so the saving is a few rounds per later start).
        int fromFirstTrap = ROUNDS + (calls[0] - 1) * (arch == Arch.X86_64 ? ROUNDS : ROUNDS - 1);
        assertThat(calls[0]).isGreaterThan(3);
        assertThat(firstTrapRuns[0]).isLessThan(fromFirstTrap);
    }
}
