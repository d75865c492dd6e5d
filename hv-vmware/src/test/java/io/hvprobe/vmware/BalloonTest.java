package io.hvprobe.vmware;

import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.balloon.Balloon;
import io.hvprobe.vmware.balloon.BalloonCommands;
import org.junit.jupiter.api.Test;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDI;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RSI;
import static org.assertj.core.api.Assertions.assertThat;

/** The balloon port protocol (0x5670, magic "Elmo"). */
class BalloonTest {
    private final VmwareSession session = Sessions.vmware();
    private final GuestCpu cpu = GuestCpu.x86(session).poison();

    private TrapOutcome.Handled balloon(long cmd, long rbx, long rsi) {
        cpu.set(RAX, Backdoor.BALLOON_MAGIC).set(RCX, cmd).set(RDX, 0x5670).set(RBX, rbx).set(RSI, rsi);
        return cpu.in();
    }

    @Test
    void startNegotiatesCommonCapabilities() {
        balloon(0, 0x2E, 0);
        assertThat(cpu.get(RAX)).isEqualTo(BalloonCommands.SUCCESS_WITH_CAPABILITIES);
        assertThat(cpu.get(RCX)).isEqualTo(0x2E);
        assertThat(session.balloon().capabilities()).isEqualTo(0x2E);
    }

    @Test
    void startDefinesAllOfRcxBecauseGuestsReadTheWholeRegister() {
        // Linux's vmw_balloon and open-vm-tools take the capabilities from the full RCX (spec §2.3, §6).
        TrapOutcome.Handled h = balloon(0, 0x3E, 0);
        assertThat(h.registerWrites()).anySatisfy(w -> {
            assertThat(w.register()).isEqualTo(RCX);
            assertThat(w.width()).isEqualTo(64);
        });
        assertThat(h.contract().orElseThrow().role(RCX).writeWidth()).isEqualTo(64);
        assertThat(cpu.get(RCX)).isEqualTo(0x3E);
    }

    @Test
    void aCapableHostAnswersWithCapabilitiesEvenWhenOnlyBasicIsCommon() {
        balloon(0, 2, 0);
        assertThat(cpu.get(RAX)).isEqualTo(BalloonCommands.SUCCESS_WITH_CAPABILITIES);
        assertThat(cpu.get(RCX)).isEqualTo(Balloon.CAP_BASIC);
        assertThat(session.balloon().capabilities()).isEqualTo(Balloon.CAP_BASIC);
    }

    @Test
    void aHostWithoutCapabilitiesAnswersPlainSuccess() {
        VmwareSession old = Sessions.vmware(java.util.Map.of("balloon-capabilities", "0x2"));
        GuestCpu c = GuestCpu.x86(old).poison();
        c.set(RAX, Backdoor.BALLOON_MAGIC).set(RCX, 0).set(RDX, 0x5670).set(RBX, 0x2E).set(RSI, 0);
        c.in();
        assertThat(c.get(RAX)).isZero();
        assertThat(old.balloon().capabilities()).isEqualTo(Balloon.CAP_BASIC);
    }

    @Test
    void edxAndEsiMayChangeWhateverThePolicy() {
        assertThat(balloon(0, 2, 0).contract().get().mayChange()).contains(RDX, RSI);
    }

    @Test
    void commandsBeforeStartAskForAReset() {
        TrapOutcome.Handled h = balloon(1, 0, 0);
        assertThat(cpu.get(RAX)).isEqualTo(BalloonCommands.ERROR_RESET);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.balloon-protocol");
        // No START in this session: a caller's earlier steps could have made it, so the finding says it rests on that.
        assertThat(h.findings().getFirst().dependsOn()).containsExactly(io.hvprobe.spi.Dependency.PROTOCOL_STATE);
    }

    @Test
    void lockAndUnlockTowardsTheTarget() {
        session.balloon().setTarget(2);
        balloon(0, 2, 0);
        balloon(1, 1 << 20, 0);
        assertThat(cpu.get(RBX)).isEqualTo(2);
        balloon(2, 100, 1);
        assertThat(cpu.get(RAX)).isZero();
        balloon(2, 100, 1);
        assertThat(cpu.get(RAX)).isEqualTo(BalloonCommands.ERROR_PPN_LOCKED);
        balloon(2, 101, 1);
        balloon(2, 102, 1);
        assertThat(cpu.get(RAX)).isEqualTo(BalloonCommands.ERROR_PPN_NOTNEEDED);
        balloon(3, 100, 1);
        assertThat(cpu.get(RAX)).isZero();
        balloon(3, 100, 1);
        assertThat(cpu.get(RAX)).isEqualTo(BalloonCommands.ERROR_PPN_UNLOCKED);
        assertThat(session.balloon().locked4k()).containsExactly(101L);
    }

    @Test
    void ediIsPreserved() {
        balloon(0, 0x3E, 0);
        TrapOutcome.Handled h = balloon(1, 0, 0);
        assertThat(cpu.get(RDI)).isEqualTo(cpu.before.get(RDI));
        assertThat(h.contract().get().written()).doesNotContain(RDI);
    }

    @Test
    void sixtyFourBitTargetIsAFullWidthWrite() {
        session.balloon().setTarget(0x1_0000_0000L);
        balloon(0, 0x3E, 0);
        TrapOutcome.Handled h = balloon(1, 0x7_0000_0000L, 0);
        assertThat(h.registerWrites()).contains(RegisterWrite.w64(RBX, 0x1_0000_0000L));
        assertThat(h.findings()).isEmpty();
        assertThat(h.contract().get().role(RBX).writeWidth()).isEqualTo(64);
    }

    @Test
    void batchedLockWritesPerEntryStatus() {
        session.balloon().setTarget(10);
        balloon(0, 0x3E, 0);
        long page = 0x11000;
        cpu.memory.putU64(page, 0x5000);
        cpu.memory.putU64(page + 8, 0x5000);
        cpu.memory.putU64(page + 16, 0xFFFF_FFFF_F000L);
        TrapOutcome.Handled h = balloon(6, page >>> 12, 3);
        assertThat(cpu.get(RAX)).isZero();
        assertThat(h.memoryWrites()).hasSize(1);
        assertThat(cpu.memory.u64(page)).isEqualTo(0x5000);
        assertThat(cpu.memory.u64(page + 8)).isEqualTo(0x5000 | BalloonCommands.ERROR_PPN_LOCKED);
        assertThat(cpu.memory.u64(page + 16)).isEqualTo(0xFFFF_FFFF_F000L | BalloonCommands.ERROR_PPN_INVALID);
    }

    @Test
    void batchedWithoutCapabilityIsRefused() {
        balloon(0, 2, 0);
        TrapOutcome.Handled h = balloon(6, 0x11, 1);
        assertThat(cpu.get(RAX)).isEqualTo(BalloonCommands.ERROR_CMD_INVALID);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.balloon-protocol");
        // START ran in this session and negotiated no batching: that holds whatever came before.
        assertThat(h.findings().getFirst().dependsOn()).isEmpty();
    }

    @Test
    void oversizedBatchIsRefused() {
        balloon(0, 0x3E, 0);
        TrapOutcome.Handled h = balloon(6, 0x11, 100_000);
        assertThat(h.memoryWrites()).isEmpty();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.argument-invalid");
    }

    @Test
    void guestIdAndUnknownCommand() {
        balloon(0, 0x3E, 0);
        balloon(4, 1, 0);
        assertThat(session.balloon().guestType()).isEqualTo(1);
        TrapOutcome.Handled h = balloon(42, 0, 0);
        assertThat(cpu.get(RAX)).isEqualTo(BalloonCommands.ERROR_CMD_INVALID);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.command-unknown");
    }
}
