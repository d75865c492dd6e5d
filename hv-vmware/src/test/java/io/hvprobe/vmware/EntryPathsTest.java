package io.hvprobe.vmware;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RSI;
import static io.hvprobe.arch.X86Register.RDI;
import static org.assertj.core.api.Assertions.assertThat;

/** Every entry path answers GETVERSION the same way, in its own registers, and leaves others alone. */
class EntryPathsTest {

    static List<Transport> transports() {
        return Transport.allLb(() -> Sessions.vmware(Map.of("arm64-brk", "true")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void getVersionOnEveryPath(Transport t) {
        t.cpu.poison();
        TrapOutcome.Handled h = t.call(10, 0);

        assertThat(h.command()).isEqualTo("GETVERSION");
        assertThat(h.findings()).isEmpty();
        assertThat(t.arg(0)).isEqualTo(6);
        assertThat(t.arg(1)).isEqualTo(Backdoor.MAGIC);
        assertThat(t.arg(2)).isEqualTo(2);
        assertThat(h.contract().get().written()).contains(t.reg(0), t.reg(1), t.reg(2));
        assertThat(h.contract().get().command()).isEqualTo("GETVERSION (" + t + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void unknownCommandWritesOnlyArg0(Transport t) {
        t.cpu.poison();
        t.arg(1, 0x1234);
        TrapOutcome.Handled h = t.call(0x7F, 0x1234);

        assertThat(t.arg(0)).isEqualTo(0xFFFF_FFFFL);
        assertThat(t.arg(1)).isEqualTo(0x1234);
        assertThat(h.registerWrites()).extracting(RegisterWrite::register).contains(t.reg(0))
                .isSubsetOf(t.reg(0), X86Register.R10, X86Register.RAX);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.command-unknown");
        // The command number is a value the guest passed: the verifier decides whether it came from invented inputs.
        assertThat(h.findings().getFirst().dependsOn()).containsExactly(io.hvprobe.spi.Dependency.INPUT_VALUES);
        assertThat(h.findings().getFirst().evidence()).containsKey("register");
    }

    @Test
    void portCallLeavesUnwrittenRegistersIntact() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware()).poison();
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        cpu.in();
        assertThat(cpu.changed()).containsExactlyInAnyOrder(RAX, RBX, RCX);
        assertThat(cpu.get(RSI)).isEqualTo(cpu.before.get(RSI));
        assertThat(cpu.get(RDI)).isEqualTo(cpu.before.get(RDI));
    }

    @Test
    void outBehavesLikeInByDefault() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        cpu.out();
        assertThat(cpu.get(RAX)).isEqualTo(6);
    }

    @Test
    void outIsIgnoredWhenConfigured() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("out-as-in", "false")));
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        assertThat(cpu.out().registerWrites()).isEmpty();
    }

    @Test
    void outputsAreZeroExtending32BitWrites() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, 0xDEAD_0000_0000_0000L | Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658);
        TrapOutcome.Handled h = cpu.in();
        assertThat(h.registerWrites()).allMatch(w -> w.width() == 32);
        assertThat(cpu.get(RAX)).isEqualTo(6);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.input-upper-bits");
        assertThat(h.findings().getFirst().evidence()).containsEntry("register", "rax")
                .containsEntry("ignored-bits", "0xdead000000000000");
    }

    @Test
    void upperBitsOfANonInputAreNotReported() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5658).set(RSI, 0xFFFF_FFFF_0000_0000L);
        assertThat(cpu.in().findings()).isEmpty();
    }

    @Test
    void inOnAnUnrelatedPortWithoutMagicIsNotMine() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, 0).set(RDX, 0x80);
        assertThat(cpu.raw(TrapForm.IN, cpu.io(4, TrapDetail.IoDirection.IN, false))).isEqualTo(TrapOutcome.NOT_MINE);
    }

    @Test
    void magicOnAnUnrelatedPortIsAWrongPortAnsweredAsUnclaimed() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5660);
        TrapOutcome.Handled h = cpu.in();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.port-wrong");
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(cpu.get(RBX)).isZero();
    }

    @Test
    void registerIoOnTheHbPortIsAWrongPort() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x5659);
        assertThat(cpu.in().findings()).extracting(Finding::ruleId).containsExactly("vmware.port-wrong");
    }

    @Test
    void narrowInIsNotABackdoorCall() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, 0x1234_5600L | Backdoor.MAGIC << 32).set(RCX, 10).set(RDX, 0x5658);
        TrapOutcome.Handled h = cpu.trap(TrapForm.IN, cpu.io(1, TrapDetail.IoDirection.IN, false));
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.io-size");
        // The port came from DX: where DX holds an invented argument, the verifier makes this a note that says so.
        assertThat(h.findings().getFirst().evidence()).containsEntry("register", "rdx");
        assertThat(h.findings().getFirst().dependsOn()).contains(io.hvprobe.spi.Dependency.INPUT_VALUES);
        assertThat(h.registerWrites()).containsExactly(new RegisterWrite(RAX, 8, 0xFF));
        assertThat(cpu.get(RAX) & 0xFFFF_FFFFL).isEqualTo(0x1234_56FFL);
    }

    @Test
    void wrongMagicOnTheBackdoorPortAnswersAllOnes() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware()).poison();
        cpu.set(RAX, 0x1234).set(RCX, 10).set(RDX, 0x5658);
        TrapOutcome.Handled h = cpu.in();
        assertThat(cpu.get(RAX)).isEqualTo(0xFFFF_FFFFL);
        assertThat(cpu.changed()).containsExactly(RAX);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.magic-wrong");
    }

    @Test
    void vmcallWithoutMagicIsNotMine() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, 9).set(RCX, 10);
        assertThat(cpu.raw(TrapForm.VMCALL, new TrapDetail.Hypercall())).isEqualTo(TrapOutcome.NOT_MINE);
    }

    @Test
    void vmmcallWhileNotAdvertisedIsReportedButAnswered() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("advertise-vmmcall", "false")));
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10);
        TrapOutcome.Handled h = cpu.vmmcall();
        assertThat(cpu.get(RAX)).isEqualTo(6);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.hypercall-not-advertised");
    }

    @Test
    void vmcallOutFlagWithoutHbIsTreatedAsLowBandwidth() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x0002);
        TrapOutcome.Handled h = cpu.vmcall();
        assertThat(h.command()).isEqualTo("GETVERSION");
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.hb-flags");
    }

    @Test
    void vmcallReservedFlagBitsAreReported() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, Backdoor.MAGIC).set(RCX, 10).set(RDX, 0x0010);
        assertThat(cpu.vmcall().findings()).extracting(Finding::ruleId).containsExactly("vmware.hb-flags");
    }

    @Test
    void tdcallUsesR12AndR13AndReportsSuccessInRaxAndR10() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware()).poison();
        Transport t = Transport.tdcall(cpu);
        TrapOutcome.Handled h = t.call(10, 0);
        assertThat(cpu.get(X86Register.R12)).isEqualTo(6);
        assertThat(cpu.get(X86Register.RBX)).isEqualTo(Backdoor.MAGIC);
        assertThat(cpu.get(X86Register.R13)).isEqualTo(2);
        assertThat(cpu.get(X86Register.RAX)).isZero();
        assertThat(cpu.get(X86Register.R10)).isZero();
        // RAX was already 0 (the TDCALL leaf), so it is written but does not change.
        assertThat(cpu.changed()).containsExactlyInAnyOrder(X86Register.R12, RBX, X86Register.R13, X86Register.R10);
        assertThat(h.registerWrites()).contains(RegisterWrite.w64(RAX, 0), RegisterWrite.w64(X86Register.R10, 0));
        assertThat(h.contract().get().written()).containsExactlyInAnyOrder(X86Register.R12, RBX, X86Register.R13,
                RAX, X86Register.R10);
    }

    @Test
    void tdcallArgumentErrorsAreReported() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(X86Register.R12, Backdoor.MAGIC).set(X86Register.R13, 0x100 | 10).set(RAX, 0)
                .set(X86Register.R10, Backdoor.TDX_VENDOR_LEAF).set(X86Register.R11, 2).set(RDX, 0x5658)
                .set(RCX, 0xFFCC);
        TrapOutcome.Handled h = cpu.tdcall();
        // 0x10A is command 266 for VMware (ECX & 0xFFFF): unknown as well as outside the TDX mask.
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.tdx-args", "vmware.tdx-args",
                "vmware.tdx-args", "vmware.command-unknown");
        assertThat(h.findings()).extracting(Finding::message).anyMatch(m -> m.contains("R11"))
                .anyMatch(m -> m.contains("RDX[15:0]")).anyMatch(m -> m.contains("mask"));
    }

    @Test
    void tdcallAskingForHighBandwidthIsReportedAndAnsweredAsLowBandwidth() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(X86Register.R12, Backdoor.MAGIC).set(X86Register.R13, 10).set(RAX, 0)
                .set(X86Register.R10, Backdoor.TDX_VENDOR_LEAF).set(X86Register.R11, 1).set(RDX, 0x0001)
                .set(RCX, 0xFFCC);
        TrapOutcome.Handled h = cpu.tdcall();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.tdx-args", "vmware.hb-unsupported");
        assertThat(h.command()).isEqualTo("GETVERSION");
        assertThat(cpu.get(X86Register.R12)).isEqualTo(6);
    }

    @Test
    void tdcallWithAnotherLeafIsNotMine() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.set(RAX, 0).set(X86Register.R10, 0).set(X86Register.R11, 0x10000).set(X86Register.R12, 5);
        assertThat(cpu.raw(TrapForm.TDCALL, new TrapDetail.Hypercall())).isEqualTo(TrapOutcome.NOT_MINE);
    }

    @Test
    void arm64MrsPreservesX7AndAboveX2() {
        GuestCpu cpu = GuestCpu.arm64(Sessions.vmware()).poison();
        Transport t = Transport.arm64(cpu, "mrs");
        t.call(10, 0);
        assertThat(cpu.get(Arm64Register.X0)).isEqualTo(6);
        assertThat(cpu.changed()).containsExactlyInAnyOrder(Arm64Register.X0, Arm64Register.X1, Arm64Register.X2);
        assertThat(cpu.last.contract().get().role(Arm64Register.X7).isInput()).isTrue();
    }

    @Test
    void arm64MrsWithoutAnyMagicIsNotMine() {
        GuestCpu cpu = GuestCpu.arm64(Sessions.vmware());
        cpu.set(Arm64Register.X0, 0).set(Arm64Register.X7, 0x0E);
        assertThat(cpu.raw(TrapForm.MRS, GuestCpu.MDCCSR)).isEqualTo(TrapOutcome.NOT_MINE);
    }

    @Test
    void arm64MrsWithTheBackdoorMagicButNoX7MagicIsReportedAndWritesNothing() {
        GuestCpu cpu = GuestCpu.arm64(Sessions.vmware());
        cpu.set(Arm64Register.X0, Backdoor.MAGIC).set(Arm64Register.X7, 0x0E);
        TrapOutcome.Handled h = (TrapOutcome.Handled) cpu.raw(TrapForm.MRS, GuestCpu.MDCCSR);
        assertThat(h.registerWrites()).isEmpty();
        assertThat(h.findings()).extracting(f -> f.ruleId(), f -> f.evidence().get("register"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("vmware.arm64-descriptor", "x7"));
    }

    @Test
    void hvcWithAnotherImmediateIsNotMine() {
        GuestCpu cpu = GuestCpu.arm64(Sessions.vmware());
        cpu.set(Arm64Register.X0, Backdoor.MAGIC);
        assertThat(cpu.raw(TrapForm.HVC, new TrapDetail.ExceptionCall(0))).isEqualTo(TrapOutcome.NOT_MINE);
    }

    @Test
    void brkIsReportedUnlessTheProfileEnablesIt() {
        Transport t = Transport.arm64(GuestCpu.arm64(Sessions.vmware()), "brk");
        assertThat(t.call(10, 0).findings()).extracting(Finding::ruleId)
                .containsExactly("vmware.hypercall-not-advertised");
    }

    @Test
    void arm64DescriptorWithInvalidSizeIsRefused() {
        GuestCpu cpu = GuestCpu.arm64(Sessions.vmware());
        cpu.set(Arm64Register.X0, Backdoor.MAGIC).set(Arm64Register.X2, 10).set(Arm64Register.X3, 0x5658)
                .set(Arm64Register.X7, 0x86L << 32 | 0x0F);
        TrapOutcome.Handled h = cpu.mrs();
        assertThat(h.registerWrites()).isEmpty();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.arm64-descriptor");
    }

    @Test
    void arm64DescriptorReservedBitsAreReportedButTheCallIsAnswered() {
        GuestCpu cpu = GuestCpu.arm64(Sessions.vmware());
        cpu.set(Arm64Register.X0, Backdoor.MAGIC).set(Arm64Register.X2, 10).set(Arm64Register.X3, 0x5658)
                .set(Arm64Register.X7, 0x86L << 32 | 0x1_000E);
        TrapOutcome.Handled h = cpu.mrs();
        assertThat(cpu.get(Arm64Register.X0)).isEqualTo(6);
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.arm64-descriptor");
    }

    @Test
    void arm64ImmediatePortDescriptorCannotReachTheBackdoor() {
        GuestCpu cpu = GuestCpu.arm64(Sessions.vmware());
        // type 00 (imm8 port 0x58), IN, 4 bytes: an 8-bit port is never 0x5658.
        cpu.set(Arm64Register.X0, Backdoor.MAGIC).set(Arm64Register.X2, 10)
                .set(Arm64Register.X7, 0x86L << 32 | (0x58 << 5) | 0x06);
        TrapOutcome.Handled h = cpu.mrs();
        assertThat(h.findings()).extracting(Finding::ruleId).containsExactly("vmware.port-wrong");
        assertThat(h.findings().getFirst().evidence()).as("the port came from W7, not X3")
                .containsEntry("register", "w7").containsEntry("port", "0x58");
    }

    @Test
    void pseudoPmcsComeFromTheFixedClock() {
        VmwareSession s = Sessions.vmware();
        GuestCpu cpu = GuestCpu.x86(s);
        cpu.set(RCX, 0x10000);
        cpu.trap(TrapForm.RDPMC, new TrapDetail.PmcRead(0x10000));
        assertThat(cpu.get(RDX) << 32 | cpu.get(RAX)).isEqualTo(2_000_000_000L);
        cpu.trap(TrapForm.RDPMC, new TrapDetail.PmcRead(0x10001));
        assertThat(cpu.get(RDX) << 32 | cpu.get(RAX)).isEqualTo(1_000_000_000L);
        s.advanceClock(java.time.Duration.ofSeconds(2));
        cpu.trap(TrapForm.RDPMC, new TrapDetail.PmcRead(0x10003));
        assertThat(cpu.get(RDX) << 32 | cpu.get(RAX)).isEqualTo(3 * 2_000_000_000L);
    }

    @Test
    void ordinaryPmcIsNotMine() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        assertThat(cpu.raw(TrapForm.RDPMC, new TrapDetail.PmcRead(0))).isEqualTo(TrapOutcome.NOT_MINE);
        assertThat(cpu.raw(TrapForm.RDPMC, new TrapDetail.PmcRead(0x10004))).isEqualTo(TrapOutcome.NOT_MINE);
    }

    @Test
    void cpuidVendorLeaf() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        cpu.trap(TrapForm.CPUID, new TrapDetail.Cpuid(0x4000_0000L, 0));
        assertThat(cpu.get(RAX)).isEqualTo(0x4000_0010L);
        String vendor = new String(java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt((int) cpu.get(RBX)).putInt((int) cpu.get(RCX)).putInt((int) cpu.get(RDX)).array(),
                java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(vendor).isEqualTo("VMwareVMware");
    }

    @Test
    void cpuidFeatureLeafFollowsTheProfile() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("advertise-vmmcall", "false", "tsc-hz", "3000000000")));
        cpu.trap(TrapForm.CPUID, new TrapDetail.Cpuid(0x4000_0010L, 0));
        assertThat(cpu.get(RAX)).isEqualTo(3_000_000);
        assertThat(cpu.get(RBX)).isEqualTo(66_000);
        assertThat(cpu.get(RCX)).isEqualTo(0b1010);
        assertThat(cpu.get(RDX)).isZero();
    }

    @Test
    void cpuidOutsideTheHypervisorRangeIsNotMine() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware());
        assertThat(cpu.raw(TrapForm.CPUID, new TrapDetail.Cpuid(1, 0))).isEqualTo(TrapOutcome.NOT_MINE);
        assertThat(cpu.raw(TrapForm.CPUID, new TrapDetail.Cpuid(0x4000_0100L, 0))).isEqualTo(TrapOutcome.NOT_MINE);
    }

    @Test
    void severityOverrideFromTheProfile() {
        GuestCpu cpu = GuestCpu.x86(Sessions.vmware(Map.of("severity.vmware.magic-wrong", "note")));
        cpu.set(RAX, 1).set(RCX, 10).set(RDX, 0x5658);
        assertThat(cpu.in().findings()).extracting(Finding::severity).containsExactly(Severity.NOTE);
    }
}
