package io.hvprobe.coverage;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Severity;
import io.hvprobe.trap.TrapSite;
import io.hvprobe.verify.Grounds;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forced paths: a trap site behind branches that invented inputs never take is reached by steering those branches,
 * and what is found there is at most a note.
 */
class SteeringTest {
    /** {@code hc(8)} makes the test hypervisor report an error that rests on protocol state. */
    private static final String SOURCE = """
            static int ready;
            __attribute__((noinline)) static unsigned hc(unsigned cmd) {
                unsigned eax = 0x564D5868, ebx = 0, ecx = cmd, edx = 0x5658;
                __asm__ volatile("inl %%dx, %%eax" : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx));
                return eax;
            }
            unsigned guarded(int x) {
                if (!ready)
                    return 0xdead;
                if (x != 7)
                    return 1;
                return hc(8);
            }
            void set_ready(void) { ready = 1; }
            """;

    private static Probe compile(Path dir) throws Exception {
        assertTrue(Toolchain.onPath("gcc"), "gcc not installed: scripts/test installs it");
        Path src = dir.resolve("guarded.c");
        Files.writeString(src, SOURCE);
        Path obj = dir.resolve("guarded.o");
        Toolchain.run(List.of("gcc", "-O2", "-fno-pic", "-c", src.toString(), "-o", obj.toString()));
        return Probe.open(obj, ProbeOptions.defaults().withHypervisor("test-hv"));
    }

    private static boolean trapped(RunResult r, long site) {
        return r.hypercalls().stream().map(HypercallRecord::event).anyMatch(e -> e.pc() == site);
    }

    @Test
    void steeringTakesEveryBranchThatLeadsAwayFromTheSiteTheOtherWay(@TempDir Path dir) throws Exception {
        try (Probe probe = compile(dir)) {
            long site = probe.sites().stream().mapToLong(TrapSite::address).findFirst().orElseThrow();
            GuestCall call = new GuestCall("guarded", List.of(new Argument.Value(0)));
            assertThat(trapped(probe.run(call), site)).isFalse();

            SteeringPlan plan = SteeringPlan.towards(probe.machine(), probe.trapReach(), site);
            assertThat(plan.decisions()).isNotEmpty();
            try (Steering steering = Steering.attach(probe, plan)) {
                RunResult forced = probe.run(call);
                assertThat(trapped(forced, site)).isTrue();
                assertThat(steering.reached()).isTrue();
                assertThat(steering.steeredBranches()).isNotEmpty().allMatch(b -> b.startsWith("guarded+0x"));
            }
            // Closed: the probe runs freely again.
            assertThat(trapped(probe.run(call), site)).isFalse();
        }
    }

    @Test
    void anErrorFoundOnAForcedPathIsANoteThatSaysSo(@TempDir Path dir) throws Exception {
        try (Probe probe = compile(dir)) {
            long site = probe.sites().stream().mapToLong(TrapSite::address).findFirst().orElseThrow();
            GuestCall call = new GuestCall("guarded", List.of(new Argument.Value(7)));
            SteeringPlan plan = SteeringPlan.towards(probe.machine(), probe.trapReach(), site);
            Verifier verifier = new Verifier(VerifyOptions.defaults());
            Verification v;
            try (Steering steering = Steering.attach(probe, plan)) {
                v = verifier.verify(probe, call, Grounds.given().forced());
            }
            LocatedFinding state = v.findings().stream().filter(f -> f.finding().ruleId().equals("test.state"))
                    .findFirst().orElseThrow();
            assertThat(state.finding().severity()).isEqualTo(Severity.NOTE);
            assertThat(state.finding().message()).contains("forced path");
            assertThat(state.finding().evidence()).containsEntry("forced-path", "true")
                    .containsEntry("reported-as", "error on a real path");
            assertThat(v.findings()).allMatch(f -> f.finding().severity() == Severity.NOTE);

            // The same call on a real path (ready set first, the argument it needs) keeps the error.
            probe.runContinuing(new GuestCall("set_ready", List.of()));
            assertThat(probe.runContinuing(call).findings()).anyMatch(f -> f.finding().ruleId().equals("test.state")
                    && f.finding().severity() == Severity.ERROR);
        }
    }
}
