package io.hvprobe.vmware;

import io.hvprobe.spi.Finding;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.mouse.AbsPointerCommands;
import io.hvprobe.vmware.mouse.VmMouse;
import org.junit.jupiter.api.Test;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RDI;
import static io.hvprobe.arch.X86Register.RSI;
import static org.assertj.core.api.Assertions.assertThat;

/** vmmouse (ABSPOINTER_*) the way Linux's driver uses it, with scripted events. */
class VmMouseTest {
    private final VmwareSession session = Sessions.vmware();
    private final GuestCpu cpu = GuestCpu.x86(session).poison();
    private final Transport port = Transport.port(cpu);

    @Test
    void startsDisabled() {
        port.call(40, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_0000L);
    }

    @Test
    void enableQueuesTheVersionId() {
        port.call(41, AbsPointerCommands.ENABLE);
        port.call(40, 0);
        assertThat(cpu.get(RAX)).isEqualTo(1);
        port.call(39, 1);
        assertThat(cpu.get(RAX)).isEqualTo(VmMouse.VERSION_ID);
        assertThat(cpu.changed()).containsExactly(RAX);
    }

    @Test
    void packetOfFourWordsWritesExactlyEaxToEdx() {
        port.call(41, AbsPointerCommands.ENABLE);
        port.call(39, 1);
        assertThat(session.mouse().queueAbsolute(VmMouse.LEFT, 0x1234, 0x5678, -1)).isTrue();
        port.call(40, 0);
        assertThat(cpu.get(RAX)).isEqualTo(4);
        TrapOutcome.Handled h = port.call(39, 4);
        assertThat(cpu.get(RAX)).isEqualTo(0x20);
        assertThat(cpu.get(RBX)).isEqualTo(0x1234);
        assertThat(cpu.get(RCX)).isEqualTo(0x5678);
        assertThat(cpu.get(RDX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(cpu.get(RSI)).isEqualTo(cpu.before.get(RSI));
        assertThat(cpu.get(RDI)).isEqualTo(cpu.before.get(RDI));
        assertThat(h.contract().get().written()).containsExactlyInAnyOrder(RAX, RBX, RCX, RDX);
    }

    @Test
    void configuredPacketsArriveWhenTheGuestRequestsAbsoluteMode() {
        VmwareSession scripted = Sessions.vmware(java.util.Map.of("mouse-absolute-packets", "0x20,0x4000,0x8000,0"));
        GuestCpu c = GuestCpu.x86(scripted).poison();
        Transport t = Transport.port(c);
        t.call(41, AbsPointerCommands.ENABLE);
        t.call(39, 1);
        t.call(40, 0);
        assertThat(c.get(RAX)).as("nothing queued before REQUEST_ABSOLUTE").isZero();
        t.call(41, AbsPointerCommands.REQUEST_ABSOLUTE);
        t.call(40, 0);
        assertThat(c.get(RAX)).isEqualTo(4);
        t.call(39, 4);
        assertThat(c.get(RBX)).isEqualTo(0x4000);
        assertThat(c.get(RCX)).isEqualTo(0x8000);
    }

    @Test
    void packetsMustHaveFourWords() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sessions.vmware(java.util.Map.of("mouse-absolute-packets", "1,2,3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 words");
    }

    @Test
    void relativeModePackets() {
        port.call(41, AbsPointerCommands.ENABLE);
        port.call(41, AbsPointerCommands.REQUEST_RELATIVE);
        assertThat(session.mouse().queueAbsolute(0, 1, 1, 0)).isFalse();
        assertThat(session.mouse().queueRelative(0, 5, -3, 0)).isTrue();
        port.call(39, 1);
        port.call(39, 4);
        assertThat(cpu.get(RAX)).isEqualTo(VmMouse.RELATIVE_PACKET);
        assertThat((int) cpu.get(RCX)).isEqualTo(-3);
    }

    @Test
    void overLongDataRequestDisablesTheMouse() {
        port.call(41, AbsPointerCommands.ENABLE);
        TrapOutcome.Handled h = port.call(39, 4);
        assertThat(h.registerWrites()).isEmpty();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.argument-invalid");
        assertThat(h.findings().getFirst().message()).as("the queue as the guest found it, not after the reset")
                .isEqualTo("ABSPOINTER_DATA asks for 4 words with 1 queued (1..6 and at most the queue length);"
                        + " mouse disabled");
        assertThat(h.findings().getFirst().evidence()).containsEntry("queued", "1");
        port.call(40, 0);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_0000L);
    }

    @Test
    void disableClearsTheQueue() {
        port.call(41, AbsPointerCommands.ENABLE);
        port.call(41, AbsPointerCommands.DISABLE);
        assertThat(session.mouse().queuedWords()).isZero();
        assertThat(session.mouse().queueAbsolute(0, 1, 1, 0)).isFalse();
    }

    @Test
    void unknownSubcommandAndRestrict() {
        assertThat(port.call(41, 0x1234).findings()).extracting(Finding::ruleId)
                .containsExactly("vmware.subcommand-unknown");
        port.call(86, 1);
        assertThat(session.mouse().restrict()).isEqualTo(1);
        assertThat(cpu.changed()).isEmpty();
    }

    @Test
    void queueIsBounded() {
        port.call(41, AbsPointerCommands.ENABLE);
        int accepted = 0;
        for (int i = 0; i < 1000; i++) {
            accepted += session.mouse().queueAbsolute(0, i, i, 0) ? 1 : 0;
        }
        assertThat(session.mouse().queuedWords()).isLessThanOrEqualTo(1024);
        assertThat(accepted).isLessThan(1000);
    }
}
