package io.hvprobe.vmware;

import io.hvprobe.spi.Finding;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDI;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RSI;
import static org.assertj.core.api.Assertions.assertThat;

/** Time commands over the fixed clock (2026-01-01T00:00:00Z, 1 s uptime). */
class TimeCommandsTest {
    private static final long EPOCH = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();

    private final VmwareSession session = Sessions.vmware(Map.of("interrupt-lag-us", "250"));
    private final GuestCpu cpu = GuestCpu.x86(session).poison();
    private final Transport port = Transport.port(cpu);

    @Test
    void getTime() {
        session.advanceClock(Duration.ofMillis(1500));
        port.call(23, 0);
        assertThat(cpu.get(RAX)).isEqualTo(EPOCH + 1);
        assertThat(cpu.get(RBX)).isEqualTo(500_000);
        assertThat(cpu.get(RCX)).isEqualTo(500_250);
        assertThat(cpu.get(RDX)).isZero();
    }

    @Test
    void getTimeReportsNegativeUtcOffsetsAsTwosComplement() {
        GuestCpu c = GuestCpu.x86(Sessions.vmware(Map.of("utc-offset-minutes", "-300")));
        Transport.port(c).call(23, 0);
        assertThat((int) c.get(RDX)).isEqualTo(-300);
    }

    @Test
    void getTimeFullLeavesEaxAtTheMagic() {
        port.call(46, 0x1234);
        assertThat(cpu.get(RAX)).isEqualTo(Backdoor.MAGIC);
        assertThat(cpu.get(RSI) << 32 | cpu.get(RDX)).isEqualTo(EPOCH);
        assertThat(cpu.get(RCX)).isEqualTo(500_250);
        assertThat(cpu.changed()).containsExactlyInAnyOrder(RBX, RCX, RDX, RSI);
        assertThat(cpu.last.contract().get().written()).doesNotContain(RAX);
    }

    @Test
    void getTimeFullWithLagSplitsTheLag() {
        port.call(55, 0x1234);
        assertThat(cpu.get(RAX)).isEqualTo(Backdoor.MAGIC);
        assertThat(cpu.get(RCX)).isEqualTo(500_000);
        assertThat(cpu.get(RDI)).isEqualTo(250);
        assertThat(cpu.changed()).containsExactlyInAnyOrder(RBX, RCX, RDX, RSI, RDI);
    }

    @Test
    void stealClockEnableWritesTheCounterIntoTheArea() {
        session.setStolenTime(12345);
        port.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 91).arg(3, 0).arg(4, 0).arg(5, 0x10040);
        TrapOutcome.Handled h = port.lb();
        assertThat(cpu.get(RAX)).isEqualTo(1);
        assertThat(h.memoryWrites()).hasSize(1);
        assertThat(cpu.memory.u64(0x10040)).isEqualTo(12345);
        assertThat(session.stealClockArea()).hasValue(0x10040);
    }

    @Test
    void stealClockUpdatesArePublishedWithTheNextCall() {
        port.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 91).arg(3, 0).arg(4, 0).arg(5, 0x10040);
        port.lb();
        session.setStolenTime(777);
        port.call(1, 0);
        assertThat(cpu.memory.u64(0x10040)).isEqualTo(777);
    }

    @Test
    void stealClockDisableAndProbe() {
        port.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 91).arg(3, 0).arg(4, 0).arg(5, 1);
        TrapOutcome.Handled h = port.lb();
        assertThat(cpu.get(RAX)).isZero();
        assertThat(h.memoryWrites()).isEmpty();
        assertThat(session.stealClockArea()).isEmpty();
    }

    @Test
    void stealClockRefusesAMisalignedArea() {
        port.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 91).arg(3, 0).arg(4, 0).arg(5, 0x10008);
        TrapOutcome.Handled h = port.lb();
        assertThat(cpu.get(RAX)).isZero();
        assertThat(h.memoryWrites()).isEmpty();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.argument-invalid");
    }

    @Test
    void stealClockRefusesUnmappedMemory() {
        port.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 91).arg(3, 0).arg(4, 1).arg(5, 0);
        TrapOutcome.Handled h = port.lb();
        assertThat(h.memoryWrites()).isEmpty();
        assertThat(h.findings()).extracting(Finding::message).anyMatch(m -> m.contains("not writable"));
    }

    @Test
    void precisionClockGetTime() {
        port.call(97, 0);
        long ns = cpu.get(RBX) << 32 | cpu.get(RCX);
        assertThat(cpu.get(RAX)).isZero();
        assertThat(ns).isEqualTo(EPOCH * 1_000_000_000L);
    }

    @Test
    void precisionClockSetAdjustAndFrequency() {
        long target = (EPOCH + 100) * 1_000_000_000L;
        port.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 1L << 16 | 97).arg(3, 0).arg(4, target >>> 32)
                .arg(5, target & 0xFFFF_FFFFL);
        port.lb();
        assertThat(cpu.get(RAX)).isZero();
        long delta = -5_000_000_000L;
        port.arg(0, Backdoor.MAGIC).arg(2, 2L << 16 | 97).arg(4, delta >>> 32).arg(5, delta & 0xFFFF_FFFFL);
        port.lb();
        port.arg(0, Backdoor.MAGIC).arg(2, 3L << 16 | 97).arg(4, 0).arg(5, 65536);
        port.lb();
        port.call(97, 0);
        assertThat(cpu.get(RBX) << 32 | cpu.get(RCX)).isEqualTo(target + delta);
        assertThat(session.precisionClock().scaledPpm()).isEqualTo(65536);
    }

    @Test
    void precisionClockUnknownOperation() {
        TrapOutcome.Handled h = port.call(7L << 16 | 97, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.subcommand-unknown");
    }

    @Test
    void hostClockTimeSourceIsNearNow() {
        GuestCpu c = GuestCpu.x86(Sessions.vmware(Map.of("time-source", "host")));
        Transport.port(c).call(23, 0);
        assertThat(Math.abs(c.get(RAX) - (Instant.now().getEpochSecond() & 0xFFFF_FFFFL))).isLessThan(60);
    }
}
