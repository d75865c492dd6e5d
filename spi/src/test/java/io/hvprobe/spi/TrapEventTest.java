package io.hvprobe.spi;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A trap event's instruction bytes: immutable, so the traps of one site share them. */
class TrapEventTest {
    private static final RegisterSnapshot REGS =
            RegisterSnapshot.of(Arch.X86_64, new long[Arch.X86_64.registers().size()]);

    private static TrapEvent vmcallAt(long sequence, InstructionBytes bytes) {
        return new TrapEvent(sequence, TrapForm.VMCALL, 0x1000, bytes, "vmcall", "f+0x0", REGS,
                new TrapDetail.Hypercall());
    }

    @Test
    void anEventMadeFromAnArrayKeepsItsOwnCopy() {
        byte[] vmcall = {0x0F, 0x01, (byte) 0xC1};
        TrapEvent e = new TrapEvent(0, TrapForm.VMCALL, 0x1000, vmcall, "vmcall", "f+0x0", REGS,
                new TrapDetail.Hypercall());
        vmcall[0] = 0;
        e.bytes()[1] = 0;
        assertThat(e.bytes()).containsExactly(0x0F, 0x01, 0xC1);
        assertThat(e.length()).isEqualTo(3);
        assertThat(e.instructionBytes()).hasToString("0f01c1");
    }

    @Test
    void trapsOfOneSiteShareTheirBytesAndCompareByValue() {
        InstructionBytes site = InstructionBytes.of(new byte[] {0x0F, 0x01, (byte) 0xC1});
        TrapEvent first = vmcallAt(0, site);
        TrapEvent second = vmcallAt(1, site);
        assertThat(second.instructionBytes()).isSameAs(first.instructionBytes());
        assertThat(second.sameBytes(first)).isTrue();
        assertThat(vmcallAt(2, InstructionBytes.of(new byte[] {0x0F, 0x01, (byte) 0xC1})).sameBytes(first)).isTrue();
        assertThat(vmcallAt(3, InstructionBytes.of(new byte[] {0x0F, 0x01, (byte) 0xD9})).sameBytes(first)).isFalse();
        assertThat(vmcallAt(0, InstructionBytes.of(site.toArray()))).isEqualTo(first);
    }
}
