package io.hvprobe.kvm;

import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapOutcome;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** KVM's x86 hypercalls and CPUID leaves, driven through the SPI. */
class X86HypercallTest {
    private final KvmSession session = new KvmHypervisor().openSession(HypervisorOptions.defaults());
    private final FakeMemory memory = new FakeMemory(0x60000000L, 0x1000);

    private TrapOutcome.Handled call(Map<X86Register, Long> regs) {
        return (TrapOutcome.Handled) session.handle(Traps.vmcall(regs), memory);
    }

    private static long rax(TrapOutcome.Handled h) {
        return h.registerWrites().stream().filter(w -> w.register() == X86Register.RAX)
                .mapToLong(RegisterWrite::value).findFirst().orElseThrow();
    }

    @Test
    void clockPairingWritesWallClockAndTscAtTheAddressAndAnswersZero() {
        TrapOutcome.Handled h = call(Map.of(X86Register.RAX, 9L, X86Register.RBX, 0x60000100L, X86Register.RCX, 0L));

        assertThat(h.command()).isEqualTo("KVM_HC_CLOCK_PAIRING");
        assertThat(rax(h)).isZero();
        assertThat(h.findings()).isEmpty();
        assertThat(h.memoryWrites()).singleElement().satisfies(w -> {
            assertThat(w.address()).isEqualTo(0x60000100L);
            ByteBuffer b = ByteBuffer.wrap(w.data()).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(b.getLong()).as("sec: 2026-01-01 plus 1 µs").isEqualTo(1_767_225_600L);
            assertThat(b.getLong()).as("nsec").isEqualTo(1000);
            assertThat(b.getLong()).as("tsc at 2.5 GHz after 1 µs").isEqualTo(2500);
            assertThat(b.getInt()).as("flags").isZero();
        });
    }

    @Test
    void clockPairingOfAnotherClockOrAnUnmappedAddressIsRefusedAsKvmDoes() {
        assertThat(rax(call(Map.of(X86Register.RAX, 9L, X86Register.RBX, 0x60000100L, X86Register.RCX, 1L))))
                .isEqualTo(-95);
        TrapOutcome.Handled unmapped = call(Map.of(X86Register.RAX, 9L, X86Register.RBX, 0x10L));
        assertThat(rax(unmapped)).isEqualTo(-14);
        assertThat(unmapped.memoryWrites()).isEmpty();
        assertThat(unmapped.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("kvm.argument-invalid");
            assertThat(f.evidence()).containsEntry("register", "rbx");
        });
    }

    @Test
    void anUnknownNumberIsMinusKvmEnosysAndAFinding() {
        TrapOutcome.Handled h = call(Map.of(X86Register.RAX, 0x564d5868L));
        assertThat(rax(h)).isEqualTo(-1000);
        assertThat(h.findings()).extracting(f -> f.ruleId()).containsExactly("kvm.hypercall-unknown");
    }

    @Test
    void sendIpiCountsTheExistingVcpusInTheBitmap() {
        // Bits 0..2 of the bitmap from APIC id 1: ids 1, 2, 3 exist (4 vCPUs), so 3 IPIs.
        assertThat(rax(call(Map.of(X86Register.RAX, 10L, X86Register.RBX, 0b111L, X86Register.RDX, 1L))))
                .isEqualTo(3);
        assertThat(rax(call(Map.of(X86Register.RAX, 10L, X86Register.RBX, 1L << 40)))).isZero();
    }

    @Test
    void mapGpaRangeNeedsItsFeatureBit() {
        TrapOutcome.Handled h = call(Map.of(X86Register.RAX, 12L, X86Register.RBX, 0x1000L, X86Register.RCX, 1L));
        assertThat(rax(h)).isEqualTo(-1000);
        assertThat(h.findings()).extracting(f -> f.ruleId()).containsExactly("kvm.hypercall-not-advertised");
    }

    @Test
    void theContractReadsTheArgumentsWritesRaxAndPreservesEverythingElse() {
        RegisterContract c = call(Map.of(X86Register.RAX, 11L, X86Register.RBX, 2L)).contract().orElseThrow();
        assertThat(c.inputs()).containsExactly(X86Register.RAX, X86Register.RBX);
        assertThat(c.clobbered()).containsExactly(X86Register.RAX);
    }

    @Test
    void cpuidSaysKvmAndTheFeatures() {
        TrapOutcome.Handled sig = (TrapOutcome.Handled) session.handle(Traps.cpuid(0x40000000L), memory);
        ByteBuffer name = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        sig.registerWrites().stream().skip(1).forEach(w -> name.putInt((int) w.value()));
        assertThat(new String(name.array(), java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("KVMKVMKVM\0\0\0");
        assertThat(sig.registerWrites().getFirst().value()).isEqualTo(0x40000001L);
        TrapOutcome.Handled features = (TrapOutcome.Handled) session.handle(Traps.cpuid(0x40000001L), memory);
        assertThat(features.registerWrites().getFirst().value() & (1L << 7)).as("PV_UNHALT").isNotZero();
        // KVM's own list (cpuid.c): bits 0, 1, 3-7, 9-14 and 24; MSI_EXT_DEST_ID (15) is the VMM's to add.
        assertThat(features.registerWrites().getFirst().value()).isEqualTo(0x0100_7EFBL);
        assertThat(session.handle(Traps.cpuid(0x40000010L), memory)).isEqualTo(TrapOutcome.NOT_MINE);
    }

    @Test
    void aRestoredSessionReadsTheClockAsTheCapturedOneWould() {
        var start = session.capture();
        Map<X86Register, Long> pairing = Map.of(X86Register.RAX, 9L, X86Register.RBX, 0x60000100L);
        byte[] first = call(pairing).memoryWrites().getFirst().data();
        byte[] second = call(pairing).memoryWrites().getFirst().data();
        session.restore(start);
        assertThat(first).isNotEqualTo(second);
        assertThat(call(pairing).memoryWrites().getFirst().data()).isEqualTo(first);
    }
}
