package io.hvprobe.vmware;

import io.hvprobe.spi.Finding;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDX;
import static org.assertj.core.api.Assertions.assertThat;

/** Commands answered from the profile's identity, GUI state and notifications (x86 port path). */
class HostCommandsTest {
    private final VmwareSession session = Sessions.vmware();
    private final GuestCpu cpu = GuestCpu.x86(session).poison();
    private final Transport port = Transport.port(cpu);

    @Test
    void getMhz() {
        port.call(1, 0);
        assertThat(cpu.get(RAX)).isEqualTo(2000);
        assertThat(cpu.changed()).containsExactly(RAX);
    }

    @Test
    void getHzSplitsTheTscFrequencyAndGivesTheBusFrequency() {
        port.call(45, 0xFFFF_FFFFL);
        assertThat(cpu.get(RAX)).isEqualTo(2_000_000_000L & 0xFFFF_FFFFL);
        assertThat(cpu.get(RBX)).isEqualTo(2_000_000_000L >>> 32);
        assertThat(cpu.get(RCX)).isEqualTo(66_000_000L);
    }

    @Test
    void getHzWithUnknownFrequencyLeavesEaxAndSetsEbxAllOnes() {
        GuestCpu c = GuestCpu.x86(Sessions.vmware(Map.of("tsc-hz", "0")));
        Transport.port(c).call(45, 0);
        assertThat(c.get(RAX)).isEqualTo(Backdoor.MAGIC);
        assertThat(c.get(RBX)).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void getHwVersionEchoesTheMagic() {
        port.call(17, ~Backdoor.MAGIC & 0xFFFF_FFFFL);
        assertThat(cpu.get(RAX)).isEqualTo(21);
        assertThat(cpu.get(RBX)).isEqualTo(Backdoor.MAGIC);
    }

    @Test
    void getUuidGivesTheBiosUuidAsLittleEndianDwords() {
        GuestCpu c = GuestCpu.x86(Sessions.vmware(Map.of("uuid", "00112233-4455-6677-8899-aabbccddeeff")));
        Transport.port(c).call(19, 0);
        assertThat(c.get(RAX)).isEqualTo(0x33221100L);
        assertThat(c.get(RBX)).isEqualTo(0x77665544L);
        assertThat(c.get(RCX)).isEqualTo(0xBBAA9988L);
        assertThat(c.get(RDX)).isEqualTo(0xFFEEDDCCL);
    }

    @Test
    void getMemSizeIsInMegabytes() {
        port.call(20, 0);
        assertThat(cpu.get(RAX)).isEqualTo(4096);
        assertThat(cpu.changed()).containsExactly(RAX);
    }

    @Test
    void getBuildNumAndVcpuInfo() {
        port.call(100, 0);
        assertThat(cpu.get(RAX)).isEqualTo(24022510);
        port.call(68, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xA);
        assertThat(cpu.get(RAX) & (1L << 31)).isZero();
    }

    @Test
    void screenSizeAndMouseAbsolute() {
        port.call(15, 0);
        assertThat(cpu.get(RAX)).isEqualTo(1920L << 16 | 1080);
        port.call(36, 0);
        assertThat(cpu.get(RAX)).isEqualTo(1);
    }

    @Test
    void guiOptionsRoundTrip() {
        port.call(14, 0x401);
        assertThat(cpu.changed()).isEmpty();
        port.call(13, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0x401);
    }

    @Test
    void pointerLocationDefaultsToNotGrabbedAndCanBeSet() {
        port.call(4, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xFF9C_FF9CL);
        port.call(5, 100L << 16 | 200);
        assertThat(cpu.get(RAX)).isZero();
        port.call(4, 0);
        assertThat(cpu.get(RAX)).isEqualTo(100L << 16 | 200);
    }

    @Test
    void hostClipboardIsReadFourBytesAtATime() {
        session.gui().setHostClipboard("hello");
        port.call(6, 0);
        assertThat(cpu.get(RAX)).isEqualTo(5);
        port.call(7, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0x6C6C6568L);
        port.call(7, 0);
        assertThat(cpu.get(RAX)).isEqualTo('o');
    }

    @Test
    void guestClipboardIsAssembledFromPieces() {
        port.call(8, 6);
        port.call(9, 0x6C6C6568L);
        port.call(9, 0x2121216FL);
        assertThat(session.gui().guestClipboard()).isEqualTo("hello!");
    }

    @Test
    void oversizedGuestClipboardIsRefused() {
        TrapOutcome.Handled h = port.call(8, 0x7FFF_FFFFL);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.argument-invalid");
        port.call(9, 0x41414141L);
        assertThat(cpu.last.findings()).extracting(Finding::ruleId).containsExactly("vmware.argument-invalid");
    }

    @Test
    void deviceListAndToggle() {
        session.gui().addDevice("cdrom0", false);
        port.call(11, 0);
        assertThat(cpu.get(RAX)).isEqualTo(1);
        assertThat(cpu.get(RBX)).isEqualTo(0x6F726463L); // "cdro"
        port.call(11, 36);
        assertThat(cpu.get(RBX) & 0xFF).isZero();
        port.call(12, 0x8000_0000L);
        assertThat(cpu.get(RAX)).isEqualTo(1);
        port.call(11, 36);
        assertThat(cpu.get(RBX) & 0xFF).isEqualTo(1);
        port.call(11, 1L << 16);
        assertThat(cpu.get(RAX)).isZero();
    }

    @Test
    void nestingControlQueryAndBadOperation() {
        port.call(2L << 16 | 63, 0);
        assertThat(cpu.get(RAX)).isEqualTo(2);
        TrapOutcome.Handled h = port.call(9L << 16 | 63, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.subcommand-unknown");
    }

    @Test
    void notificationsAreRecordedAndWriteNothing() {
        port.call(102, 0);
        assertThat(cpu.changed()).isEmpty();
        port.call(18, 0);
        port.call(24, 0);
        assertThat(session.hostEvents()).containsExactly("REPORTGUESTCRASH", "OSNOTFOUND", "STOPCATCHUP");
    }

    @Test
    void mksGuestStatsTracksPages() {
        port.call(1L << 16 | 85, 0x1234);
        port.call(1L << 16 | 85, 0x5678);
        port.call(2L << 16 | 85, 0x1234);
        assertThat(session.mksGuestStatsPages()).containsExactly(0x5678L);
        assertThat(cpu.changed()).isEmpty();
        port.call(85, 0);
        assertThat(session.mksGuestStatsPages()).isEmpty();
    }

    @Test
    void guestPageHintsAreNotSupported() {
        port.arg(4, 1);
        TrapOutcome.Handled h = port.call(92, 0x1234);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(h.findings()).isEmpty();
    }

    @Test
    void uncertainCommandsAnswerAsUnknownWithANote() {
        TrapOutcome.Handled h = port.call(34, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(cpu.changed()).containsExactly(RAX);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.command-unmodelled");
        assertThat(h.findings().getFirst().message()).contains("ISACPIDISABLED").contains("uncertain");
    }

    @Test
    void uncertainCommandsCanBeGivenAFixedAnswer() {
        GuestCpu c = GuestCpu.x86(Sessions.vmware(Map.of("fixed-answer.34", "eax=0,ebx=7")));
        TrapOutcome.Handled h = Transport.port(c).call(34, 0);
        assertThat(c.get(RAX)).isZero();
        assertThat(c.get(RBX)).isEqualTo(7);
        assertThat(h.findings()).isEmpty();
        assertThat(h.contract().get().written()).containsExactlyInAnyOrder(RAX, RBX);
    }

    @Test
    void commandNumbersBeyondTheCatalogueAreUnknown() {
        TrapOutcome.Handled h = port.call(105, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.command-unknown");
    }

    @Test
    void vmwareDecodesSixteenCommandBits() {
        // 0x010A is command 266 for VMware, but GETVERSION (10) for QEMU.
        TrapOutcome.Handled h = port.call(0x010A, 0);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.command-unknown");
    }
}
