package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.hvprobe.elf.Toolchain.asmFunction;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verdicts come from instruction budgets only. A machine too slow for its wall-clock guard (a paused JVM, a busy
 * CI box) is simulated by a 300 ms guard and a budget far beyond it: a run the guard ends is inconclusive, never a
 * finding, a difference or a failed expectation. (The budget of 2 G instructions only bounds the test if a stop
 * request is lost: Unicorn 2.0.1 can drop the guard's stop when it arrives before emulation started.)
 */
class ClockFreeVerdictsTest {
    private static final String PROLOGUE = "mov eax, 0x564d5868\n mov edx, 0x5658\n";
    private static final String SOURCE = """
            .intel_syntax noprefix
            .text
            """
            // CMD1 may change RSI, which then counts a loop: poisoned, it practically never ends.
            + asmFunction("loop_on_may_change", "mov esi, 5\n" + PROLOGUE + "mov ecx, 1\n in eax, dx\n 1: dec rsi\n"
                    + " jnz 1b\n ret")
            // Counts RDI up forever: never the same state twice, so only the budget or the clock ends it.
            + asmFunction("endless_after_trap", PROLOGUE + "mov ecx, 1\n in eax, dx\n 1: inc rdi\n jmp 1b\n ret");

    private static Path object;

    @BeforeAll
    static void assemble() throws Exception {
        object = Toolchain.assembleX86(Files.createTempDirectory("hvprobe-clock"), "c", SOURCE);
    }

    private static Probe open(MachineOptions machine) throws Exception {
        return Probe.open(object, ProbeOptions.defaults().withHypervisor("test-hv").withMachine(machine));
    }

    private static final MachineOptions SLOW_MACHINE = MachineOptions.defaults().withInstructionBudget(2_000_000_000L)
            .withTimeout(Duration.ofMillis(300));

    private static List<String> rules(List<LocatedFinding> findings) {
        return findings.stream().map(f -> f.finding().ruleId()).toList();
    }

    private static Verification verify(Probe probe, String function) throws Exception {
        return new Verifier(VerifyOptions.defaults()).verify(probe, GuestCall.of(function));
    }

    @Test
    void aFirstRunEndedByTheClockIsInconclusiveAndNothingElse() throws Exception {
        try (Probe probe = open(SLOW_MACHINE)) {
            Verification v = verify(probe, "endless_after_trap");
            assertThat(v.run().inconclusive()).isTrue();
            assertThat(rules(v.findings())).containsExactly(RunResult.INCONCLUSIVE_RULE);
            assertThat(v.findings()).allSatisfy(f -> assertThat(f.finding().severity()).isEqualTo(Severity.NOTE));
            assertThat(v.notes()).singleElement().asString().startsWith("inconclusive: ")
                    .contains("wall-clock guard of 300 ms elapsed");
        }
    }

    @Test
    void withABudgetTheSameLoopEndsTheSameWayEveryTime() throws Exception {
        try (Probe probe = open(MachineOptions.defaults().withInstructionBudget(100_000))) {
            Verification a = verify(probe, "endless_after_trap");
            Verification b = verify(probe, "endless_after_trap");
            assertThat(rules(a.findings())).containsExactly("hvprobe.budget");
            assertThat(a.findings().getFirst().finding().message()).contains("instruction budget of 100000 exhausted");
            assertThat(b.findings()).isEqualTo(a.findings());
            assertThat(b.cost()).isEqualTo(a.cost());
        }
    }

    @Test
    void aRerunEndedByTheClockIsNoDifference() throws Exception {
        try (Probe probe = open(SLOW_MACHINE)) {
            Verification v = verify(probe, "loop_on_may_change");
            assertThat(v.run().returnValue()).isEqualTo(0x11);
            assertThat(rules(v.findings())).doesNotContain("hvprobe.undefined-consumed", "hvprobe.budget")
                    .contains(RunResult.INCONCLUSIVE_RULE, "hvprobe.clobber.may-change");
            assertThat(v.findings()).noneSatisfy(f -> assertThat(f.finding().message()).contains("TIMEOUT"));
            assertThat(v.notes()).anySatisfy(n -> assertThat(n).contains("wall-clock guard ended a rerun"));
        }
    }

    @Test
    void withABudgetTheSameRerunIsADeterministicDifference() throws Exception {
        try (Probe probe = open(MachineOptions.defaults().withInstructionBudget(100_000))) {
            Verification a = verify(probe, "loop_on_may_change");
            Verification b = verify(probe, "loop_on_may_change");
            assertThat(rules(a.findings())).contains("hvprobe.undefined-consumed")
                    .doesNotContain(RunResult.INCONCLUSIVE_RULE);
            assertThat(b.findings()).isEqualTo(a.findings());
            assertThat(b.notes()).isEqualTo(a.notes());
        }
    }
}
