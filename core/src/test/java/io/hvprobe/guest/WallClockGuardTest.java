package io.hvprobe.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.unicorn.StopReason;
import io.hvprobe.unicorn.UcProt;
import io.hvprobe.unicorn.Unicorn;
import org.junit.jupiter.api.Test;

/** The wall-clock guard stops an engine only once its deadline has passed, and never after it was disarmed. */
class WallClockGuardTest {

    private static final long CODE = 0x10000;
    private static final byte[] JMP_SELF = {(byte) 0xEB, (byte) 0xFE};

    @Test
    void anExpiredGuardStopsAnEndlessLoopAndSaysSo() {
        try (Unicorn uc = loop()) {
            WallClockGuard guard = new WallClockGuard(uc);
            guard.arm(20_000_000L);
            StopReason reason;
            try {
                reason = uc.emuStart(CODE, CODE + JMP_SELF.length, 0, 0);
            } finally {
                guard.disarm();
            }
            assertThat(guard.fired()).isTrue();
            assertThat(reason).as("not recorded as a stop a hook requested").isNotEqualTo(StopReason.STOP_REQUESTED);
        }
    }

    @Test
    void aGuardAlreadyExpiredWhenArmedStillStopsTheEmulationThatFollows() {
        try (Unicorn uc = loop()) {
            WallClockGuard guard = new WallClockGuard(uc);
            guard.arm(0);
            try {
                uc.emuStart(CODE, CODE + JMP_SELF.length, 0, 0);
            } finally {
                guard.disarm();
            }
            assertThat(guard.fired()).isTrue();
        }
    }

    @Test
    void aDisarmedGuardLeavesTheNextEmulationAlone() throws InterruptedException {
        try (Unicorn uc = loop()) {
            WallClockGuard guard = new WallClockGuard(uc);
            // Expired at once while no emulation runs: its stop reaches an idle engine. (A short deadline disarmed
            // in time would make this test depend on the machine's load.)
            guard.arm(0);
            for (int waited = 0; !guard.fired() && waited < 10_000; waited++) {
                Thread.sleep(1);
            }
            assertThat(guard.fired()).as("the timer ran").isTrue();
            guard.disarm();
            Thread.sleep(120); // past the timer's 50 ms repeat, which a disarmed guard no longer schedules

            // Ended by its instruction count, not by a stop left over from the disarmed guard.
            assertThat(uc.emuStart(CODE, CODE + JMP_SELF.length, 0, 1_000)).isEqualTo(StopReason.COUNT_EXHAUSTED);
        }
    }

    private static Unicorn loop() {
        Unicorn uc = Unicorn.open(Arch.X86_64);
        uc.memMap(CODE, 0x1000, UcProt.ALL);
        uc.memWrite(CODE, JMP_SELF);
        return uc;
    }
}
