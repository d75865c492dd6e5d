package io.hvprobe.kvm;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.kvm.smccc.SmcccCalls;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapOutcome;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SMCCC calls over hvc/smc, and how the calling-convention version shapes the contract. */
class SmcccTest {
    private final FakeMemory memory = new FakeMemory(0x60000000L, 0x100);

    private static KvmSession session(String profile) {
        return new KvmHypervisor().openSession(HypervisorOptions.profile(profile));
    }

    private TrapOutcome.Handled hvc(KvmSession s, long x0, long... args) {
        Map<Arm64Register, Long> regs = new HashMap<>();
        regs.put(Arm64Register.X0, x0);
        for (int i = 0; i < args.length; i++) {
            regs.put(Arm64Register.x(i + 1), args[i]);
        }
        return (TrapOutcome.Handled) s.handle(Traps.hvc(0, regs), memory);
    }

    private static Map<Arm64Register, Long> written(TrapOutcome.Handled h) {
        Map<Arm64Register, Long> m = new HashMap<>();
        for (RegisterWrite w : h.registerWrites()) {
            m.put((Arm64Register) w.register(), w.value());
        }
        return m;
    }

    @Test
    void smcccVersionFollowsTheProfileAndIsNotSupportedUnder10() {
        assertThat(written(hvc(session("kvm"), 0x80000000L)).get(Arm64Register.X0)).isEqualTo(0x10001L);
        assertThat(written(hvc(session("smccc-1.2"), 0x80000000L)).get(Arm64Register.X0)).isEqualTo(0x10002L);
        assertThat(written(hvc(session("smccc-1.0"), 0x80000000L)).get(Arm64Register.X0)).isEqualTo(-1L);
        assertThat(written(hvc(session("smccc-1.0"), 0x8400000AL, 0x80000000L)).get(Arm64Register.X0))
                .as("PSCI_FEATURES(SMCCC_VERSION), how Linux tells 1.0 firmware").isEqualTo(-1L);
        assertThat(written(hvc(session("kvm"), 0x8400000AL, 0x80000000L)).get(Arm64Register.X0)).isZero();
    }

    @Test
    void underSmccc10X4ToX17MayChangeAndAreOverwrittenFrom11OnTheyArePreserved() {
        TrapOutcome.Handled v10 = hvc(session("smccc-1.0"), 0x84000000L);
        RegisterContract c10 = v10.contract().orElseThrow();
        assertThat(c10.mayChange()).contains(Arm64Register.X4, Arm64Register.X17).doesNotContain(Arm64Register.X18);
        assertThat(written(v10).get(Arm64Register.X4)).isEqualTo(SmcccCalls.V1_0_SCRATCH | 4);

        TrapOutcome.Handled v11 = hvc(session("smccc-1.1"), 0x84000000L);
        assertThat(v11.contract().orElseThrow().clobbered())
                .containsExactly(Arm64Register.X0, Arm64Register.X1, Arm64Register.X2, Arm64Register.X3);
        assertThat(written(v11)).doesNotContainKey(Arm64Register.X4);
    }

    @Test
    void trngRnd64GivesTheAskedBitsFromTheSeededGeneratorLowestInX3() {
        KvmSession s = session("kvm");
        var start = s.capture();
        Map<Arm64Register, Long> x = written(hvc(s, 0xC4000053L, 72));
        assertThat(x.get(Arm64Register.X0)).isZero();
        assertThat(x.get(Arm64Register.X3)).isNotZero();
        assertThat(x.get(Arm64Register.X2) >>> 8).as("bits 72 and up are zero").isZero();
        assertThat(x.get(Arm64Register.X1)).isZero();
        s.restore(start);
        assertThat(written(hvc(s, 0xC4000053L, 72))).as("same seed, same bytes").isEqualTo(x);
        assertThat(written(hvc(new KvmHypervisor().openSession(new HypervisorOptions(java.util.Optional.empty(),
                java.util.Optional.empty(), Map.of("seed", "7"))), 0xC4000053L, 72))).isNotEqualTo(x);
    }

    @Test
    void trngRefusesMoreBitsThanItGivesButAnswersZeroBitsWithSuccessAsKvmDoes() {
        TrapOutcome.Handled h = hvc(session("kvm"), 0x84000053L, 97);
        assertThat(written(h).get(Arm64Register.X0)).isEqualTo(-2L);
        assertThat(h.findings()).extracting(f -> f.ruleId()).containsExactly("smccc.argument-invalid");

        TrapOutcome.Handled none = hvc(session("kvm"), 0xC4000053L, 0);
        assertThat(written(none)).containsEntry(Arm64Register.X0, 0L).containsEntry(Arm64Register.X1, 0L)
                .containsEntry(Arm64Register.X2, 0L).containsEntry(Arm64Register.X3, 0L);
        assertThat(none.findings()).isEmpty();
    }

    @Test
    void cpuOffSystemOffAndSystemResetDoNotReturnEveryOtherCallDoes() {
        for (long fid : new long[] {0x84000002L, 0x84000008L, 0x84000009L}) {
            TrapOutcome.Handled h = hvc(session("kvm"), fid);
            assertThat(h.returns()).as(Long.toHexString(fid)).isFalse();
            assertThat(h.findings()).isEmpty();
        }
        assertThat(written(hvc(session("kvm"), 0x84000002L))).as("CPU_OFF").containsEntry(Arm64Register.X0, 0L);
        assertThat(written(hvc(session("kvm"), 0x84000009L))).as("SYSTEM_RESET: INTERNAL_FAILURE if resumed")
                .containsEntry(Arm64Register.X0, -6L);
        assertThat(hvc(session("kvm"), 0x84000000L).returns()).as("PSCI_VERSION").isTrue();
        assertThat(hvc(session("kvm"), 0x84000001L).returns()).as("CPU_SUSPEND comes back").isTrue();
        assertThat(hvc(session("kvm"), 0x8400FFFFL).returns()).as("an unknown ID").isTrue();
    }

    @Test
    void psciCpuOnTurnsACpuOnOnceAndAffinityInfoSeesIt() {
        KvmSession s = session("kvm");
        assertThat(written(hvc(s, 0xC4000004L, 2, 0)).get(Arm64Register.X0)).as("off").isEqualTo(1L);
        assertThat(written(hvc(s, 0xC4000003L, 2, 0x1000, 0)).get(Arm64Register.X0)).isZero();
        assertThat(written(hvc(s, 0xC4000003L, 2, 0x1000, 0)).get(Arm64Register.X0)).as("ALREADY_ON").isEqualTo(-4L);
        assertThat(written(hvc(s, 0xC4000004L, 2, 0)).get(Arm64Register.X0)).as("on").isZero();
        TrapOutcome.Handled nobody = hvc(s, 0xC4000004L, 9, 0);
        assertThat(written(nobody).get(Arm64Register.X0)).as("no such CPU: INVALID_PARAMETERS").isEqualTo(-2L);
        assertThat(nobody.findings()).extracting(f -> f.ruleId()).containsExactly("smccc.argument-invalid");
        TrapOutcome.Handled absent = hvc(s, 0xC4000003L, 9, 0x1000, 0);
        assertThat(written(absent).get(Arm64Register.X0)).isEqualTo(-2L);
        assertThat(absent.findings()).extracting(f -> f.ruleId()).containsExactly("smccc.argument-invalid");
    }

    @Test
    void kvmVendorServiceAnswersUidFeaturesAndPtp() {
        KvmSession s = session("kvm");
        assertThat(written(hvc(s, 0x8600FF01L)).get(Arm64Register.X0)).isEqualTo(0xb66fb428L);
        assertThat(written(hvc(s, 0x86000000L)).get(Arm64Register.X0)).isEqualTo(3L);
        Map<Arm64Register, Long> ptp = written(hvc(s, 0x86000001L, 0));
        long ns = ptp.get(Arm64Register.X0) << 32 | ptp.get(Arm64Register.X1);
        assertThat(ns).isEqualTo(1_767_225_600_000_001_000L);
        assertThat(ptp.get(Arm64Register.X2) << 32 | ptp.get(Arm64Register.X3)).as("25 MHz after 1 µs").isEqualTo(25);
    }

    @Test
    void unknownIdsReservedBitsAndImmediatesAreNotSupported() {
        KvmSession s = session("kvm");
        TrapOutcome.Handled unknown = hvc(s, 0x82000001L);
        assertThat(written(unknown).get(Arm64Register.X0)).isEqualTo(-1L);
        assertThat(unknown.findings()).extracting(f -> f.ruleId()).containsExactly("smccc.function-unknown");
        assertThat(hvc(s, 0x84010000L).findings()).extracting(f -> f.ruleId()).containsExactly("smccc.reserved-bits");
        TrapOutcome.Handled imm = (TrapOutcome.Handled) s.handle(Traps.hvc(1, Map.of(Arm64Register.X0,
                0x84000000L)), memory);
        assertThat(imm.findings()).extracting(f -> f.ruleId()).containsExactly("smccc.immediate");
    }

    @Test
    void smcIsAnsweredLikeHvc() {
        KvmSession s = session("kvm");
        TrapOutcome.Handled h = (TrapOutcome.Handled) s.handle(Traps.smc(Map.of(Arm64Register.X0, 0x84000050L)),
                memory);
        assertThat(h.command()).isEqualTo("TRNG_VERSION");
        assertThat(written(h).get(Arm64Register.X0)).isEqualTo(0x10000L);
    }

    @Test
    void badProfilesAndSettingsAreOneLineErrors() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> session("smccc-2.0"))
                .hasMessage("unknown kvm profile 'smccc-2.0' (available: kvm, smccc-1.0, smccc-1.1, smccc-1.2)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KvmHypervisor().openSession(
                new HypervisorOptions(java.util.Optional.empty(), java.util.Optional.empty(), Map.of("cpus", "2"))))
                .hasMessageContaining("unknown kvm setting 'cpus'");
    }
}
