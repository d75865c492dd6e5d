package io.hvprobe.vmware;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDI;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RSI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input bits the ABI lets the hypervisor ignore (spec §2.3, §9.1, §9.19) are a note; bits outside an input that
 * carries a wider value are a truncation, which the model leaves to the verifier's {@code hvprobe.input-truncated}.
 */
class IgnoredInputBitsTest {
    private static final long GARBAGE = 0xA5A5_A5A5_0000_0000L;

    private static Map<String, String> evidence(TrapOutcome.Handled h, String register) {
        return h.findings().stream().filter(f -> register.equals(f.evidence().get("register"))).findFirst()
                .map(Finding::evidence).orElseThrow(() -> new AssertionError("no finding on " + register + ": "
                        + h.findings()));
    }

    @Test
    void vmCheckGarbageAndTheFfffMarkerAreNotes() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        // open-vm-tools' VmCheck: only the halves it means are set, the rest is whatever the stack held.
        cpu.set(RAX, GARBAGE | Backdoor.MAGIC).set(RBX, 0xFFFF_FFFF_A9B2_A797L).set(RCX, GARBAGE | 0xFFFF_000AL)
                .set(RDX, GARBAGE | 0x1234_5658L).set(RSI, GARBAGE).set(RDI, GARBAGE);
        TrapOutcome.Handled h = cpu.in();

        assertThat(cpu.get(RAX)).isEqualTo(6);
        assertThat(cpu.get(RCX)).isEqualTo(2);
        assertThat(h.findings()).extracting(Finding::ruleId).containsOnly("vmware.input-upper-bits");
        assertThat(h.findings()).extracting(Finding::severity).containsOnly(Severity.NOTE);
        assertThat(evidence(h, "rax")).containsEntry("ignored-bits", "0xa5a5a5a500000000");
        assertThat(evidence(h, "rcx")).containsEntry("ignored-bits", "0xa5a5a5a5ffff0000");
        assertThat(evidence(h, "rdx")).containsEntry("ignored-bits", "0xa5a5a5a512340000");
        // EBX, ESI, EDI are not inputs of GETVERSION: nothing to say about them.
        assertThat(h.findings()).extracting(f -> f.evidence().get("register")).containsExactlyInAnyOrder("rax", "rcx",
                "rdx");
    }

    @Test
    void aRepeatedPureCommandGetsTheSameAnswerUntilItsInputsCarryIgnoredBits() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        TrapOutcome.Handled first = cpu.in();
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        assertThat(cpu.in()).as("GETVERSION again: one answer object, no copy per call").isSameAs(first);

        cpu.set(RAX, GARBAGE | Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        TrapOutcome.Handled noisy = cpu.in();
        assertThat(noisy).isNotSameAs(first);
        assertThat(evidence(noisy, "rax")).containsEntry("ignored-bits", "0xa5a5a5a500000000");

        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        assertThat(cpu.in()).isSameAs(first).extracting(TrapOutcome.Handled::findings).asList().isEmpty();
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        TrapOutcome.Handled viaVmcall = cpu.vmcall();
        assertThat(viaVmcall).as("another entry path has another contract").isNotSameAs(first);
        assertThat(viaVmcall.contract()).isNotEqualTo(first.contract());
    }

    @Test
    void theSameBitsAreIgnoredOnArm64() {
        GuestCpu cpu = GuestCpu.arm64(Sessions.vmware());
        cpu.set(Arm64Register.X0, GARBAGE | Backdoor.MAGIC).set(Arm64Register.X2, 0xFFFF_000AL)
                .set(Arm64Register.X3, 0x5658).set(Arm64Register.X7, 0x86_0000_000EL);
        TrapOutcome.Handled h = cpu.mrs();
        assertThat(cpu.get(Arm64Register.X0)).isEqualTo(6);
        assertThat(h.findings()).extracting(Finding::severity).containsOnly(Severity.NOTE);
        assertThat(evidence(h, "x0")).containsEntry("ignored-bits", "0xa5a5a5a500000000");
        assertThat(evidence(h, "x2")).containsEntry("ignored-bits", "0xffff0000");
    }

    @Test
    void garbageAboveTheTdxCommandIsIgnoredNotOutsideTheTdxMask() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(X86Register.R12, GARBAGE | Backdoor.MAGIC).set(X86Register.R13, GARBAGE | 10).set(RAX, 0)
                .set(X86Register.R10, Backdoor.TDX_VENDOR_LEAF).set(X86Register.R11, 1).set(RDX, 0).set(RCX, 0xFFCC);
        TrapOutcome.Handled h = cpu.tdcall();
        assertThat(h.command()).isEqualTo("GETVERSION");
        assertThat(h.findings()).extracting(Finding::ruleId).containsOnly("vmware.input-upper-bits");
        assertThat(evidence(h, "r13")).containsEntry("ignored-bits", "0xa5a5a5a500000000");
        assertThat(evidence(h, "r12")).containsEntry("ignored-bits", "0xa5a5a5a500000000");
    }

    @Test
    void aSubCommandAndAChannelAreInputsNotIgnoredBits() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        // MESSAGE OPEN: ECX[31:16] = 0 is the operation; GuestRPC channel ids live in EDX[31:16].
        cpu.set(RAX, Backdoor.MAGIC).set(RBX, 0x4943_5052L).set(RCX, GARBAGE | 30).set(RDX, 0x5658);
        TrapOutcome.Handled h = cpu.in();
        assertThat(evidence(h, "rcx")).containsEntry("ignored-bits", "0xa5a5a5a500000000");
        cpu.set(RAX, Backdoor.MAGIC).set(RBX, 0).set(RCX, 1L << 16 | 30).set(RDX, 0x5658);
        assertThat(cpu.in().findings()).isEmpty();
    }

    @Test
    void theUpperHalfOfAWideValueIsATruncationNotANote() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        // PRECISIONCLOCK SETTIME with the whole 64-bit value in EDI: bits 63:32 are part of the time, lost.
        cpu.set(RAX, Backdoor.MAGIC).set(RBX, 0).set(RCX, 1L << 16 | 97).set(RDX, 0x5658).set(RSI, 0)
                .set(RDI, 0x1797_9CFE_362A_0000L);
        assertThat(cpu.in().findings()).isEmpty();
    }

    @Test
    void balloonInputsAreNeverIgnoredGarbage() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, Backdoor.BALLOON_MAGIC).set(RCX, 0).set(RDX, 0x5670).set(RBX, 0x3E).set(RSI, 0);
        cpu.in();
        // Linux's VMCI_INVALID_ID is ~0, sign-extended into the unsigned long argument.
        cpu.set(RAX, Backdoor.BALLOON_MAGIC).set(RCX, 10).set(RDX, 0x5670).set(RBX, -1L).set(RSI, -1L);
        TrapOutcome.Handled h = cpu.in();
        assertThat(h.findings()).isEmpty();
        assertThat(h.contract().orElseThrow().role(RBX).inputMask()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void theMksPpnWidthIsASetting() {
        long ppn = 0x1_0000_0042L;
        GuestCpu narrow = GuestCpu.x86(Sessions.vmware());
        narrow.set(RAX, Backdoor.MAGIC).set(RBX, ppn).set(RCX, 1L << 16 | 85).set(RDX, 0x5658);
        TrapOutcome.Handled h = narrow.in();
        // Default: VMware reads 32 bits; the lost bit 32 is a truncated PPN, the verifier's to report.
        assertThat(h.findings()).isEmpty();
        assertThat(h.contract().orElseThrow().role(RBX).inputMask()).isEqualTo(0xFFFF_FFFFL);
        assertThat(narrow.session.mksGuestStatsPages()).containsExactly(0x42L);

        GuestCpu wide = GuestCpu.x86(Sessions.vmware(Map.of("mks-ppn-bits", "64")));
        wide.set(RAX, Backdoor.MAGIC).set(RBX, ppn).set(RCX, 1L << 16 | 85).set(RDX, 0x5658);
        h = wide.in();
        assertThat(h.contract().orElseThrow().command()).isEqualTo("MKS_GUEST_STATS.ADD_PPN.64 (port)");
        assertThat(h.contract().orElseThrow().role(RBX).inputMask()).isEqualTo(-1L);
        assertThat(wide.session.mksGuestStatsPages()).containsExactly(ppn);
    }

    @Test
    void aProfileRaisesTheNote() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("severity.vmware.input-upper-bits", "warning")));
        cpu.set(RAX, GARBAGE | Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        assertThat(cpu.in().findings()).extracting(Finding::severity).containsExactly(Severity.WARNING);
    }
}
