package io.hvprobe.vmware;

import io.hvprobe.spi.Finding;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.mouse.AbsPointerCommands;
import io.hvprobe.vmware.mouse.VmMouse;
import org.junit.jupiter.api.Test;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDI;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RSI;
import static org.assertj.core.api.Assertions.assertThat;

/** The qemu-vmport profile reproduces QEMU's vmport/vmmouse, including its RSI/RDI zeroing. */
class QemuVmportProfileTest {
    private final VmwareSession session = Sessions.qemu();
    private final GuestCpu cpu = GuestCpu.x86(session).poison();
    private final Transport port = Transport.port(cpu);

    @Test
    void vmmouseDataOneRewritesAllSixRegisters() {
        port.call(41, AbsPointerCommands.ENABLE);
        cpu.poison();
        TrapOutcome.Handled h = port.call(39, 1);
        assertThat(cpu.get(RAX)).isEqualTo(VmMouse.VERSION_ID);
        assertThat(cpu.get(RSI)).isEqualTo(cpu.before.get(RSI) & 0xFFFF_FFFFL);
        assertThat(cpu.get(RDI)).isEqualTo(cpu.before.get(RDI) & 0xFFFF_FFFFL);
        assertThat(cpu.get(RSI) >>> 32).isZero();
        assertThat(h.contract().get().written()).containsExactlyInAnyOrder(RAX, RBX, RCX, RDX, RSI, RDI);
    }

    @Test
    void overLongVmmouseDataStillRewritesTheRegistersAndReportsTheQueueItFound() {
        port.call(41, AbsPointerCommands.ENABLE);
        cpu.poison();
        TrapOutcome.Handled h = port.call(39, 3);
        assertThat(cpu.get(RAX)).as("EAX kept its low 32 bits").isEqualTo(cpu.before.get(RAX) & 0xFFFF_FFFFL);
        assertThat(cpu.get(RDI) >>> 32).as("upper half zeroed, as QEMU does").isZero();
        assertThat(h.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("vmware.argument-invalid");
            assertThat(f.evidence()).containsEntry("queued", "1");
        });
        port.call(40, 0);
        assertThat(cpu.get(RAX)).as("mouse disabled").isEqualTo(0xFFFF_0000L);
    }

    @Test
    void getMemSizeIsTruncatedBytesWithTheQemuMarker() {
        port.call(20, 0);
        assertThat(cpu.get(RAX)).isEqualTo((4096L << 20) & 0xFFFF_FFFFL);
        assertThat(cpu.get(RBX)).isEqualTo(0x1177);
    }

    @Test
    void getVersionReportsTypeTwo() {
        port.call(10, 0);
        assertThat(cpu.get(RAX)).isEqualTo(6);
        assertThat(cpu.get(RCX)).isEqualTo(2);
    }

    @Test
    void commandIsDecodedFromTheLowByte() {
        port.call(0x010A, 0);
        assertThat(cpu.get(RAX)).isEqualTo(6);
    }

    @Test
    void noMessageCommand() {
        TrapOutcome.Handled h = port.call(30, 0x49435052L);
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(cpu.changed()).containsExactly(RAX);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.command-unmodelled");
    }

    @Test
    void noHighBandwidthPort() {
        cpu.set(RAX, Backdoor.MAGIC).set(RBX, 0x10000).set(RCX, 4).set(RDX, 0x5659);
        TrapOutcome.Handled h = cpu.repOutsb();
        assertThat(h.registerWrites()).isEmpty();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.hb-unsupported");
    }

    @Test
    void cpuidAdvertisesNoHypercalls() {
        cpu.trap(TrapForm.CPUID, new TrapDetail.Cpuid(0x4000_0010L, 0));
        assertThat(cpu.get(RCX)).isZero();
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0);
        assertThat(cpu.vmcall().findings()).extracting(Finding::ruleId)
                .containsExactly("vmware.hypercall-not-advertised");
    }

    @Test
    void noBalloonPort() {
        cpu.set(RAX, Backdoor.BALLOON_MAGIC).set(RCX, 0).set(RDX, 0x5670);
        assertThat(cpu.raw(TrapForm.IN, cpu.io(4, TrapDetail.IoDirection.IN, false))).isEqualTo(TrapOutcome.NOT_MINE);
    }
}
