package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.hvprobe.arch.Arm64Register.NZCV;
import static io.hvprobe.arch.Arm64Register.SP;
import static io.hvprobe.arch.Arm64Register.X0;
import static io.hvprobe.arch.Arm64Register.X1;
import static io.hvprobe.arch.Arm64Register.X2;
import static io.hvprobe.arch.Arm64Register.X29;
import static io.hvprobe.arch.Arm64Register.X30;
import static io.hvprobe.arch.Arm64Register.X7;
import static io.hvprobe.disasm.Hex.words;
import static org.assertj.core.api.Assertions.assertThat;

class Arm64DisassemblerTest {
    private static Disassembler arm;

    @BeforeAll
    static void open() {
        arm = Disassembler.open(Arch.ARM64);
    }

    @AfterAll
    static void close() {
        arm.close();
    }

    private static Instruction decode(int word) {
        return arm.decode(0x4000, words(word));
    }

    private static RegisterAccess access(int word) {
        return decode(word).access().orElseThrow();
    }

    @Test
    void decodesTrapInstructions() {
        assertThat(decode(0xD533011F).text()).isEqualTo("mrs xzr, mdccsr_el0");
        assertThat(decode(0xD40010C2).text()).isEqualTo("hvc #0x86");
        assertThat(decode(0xD42010C0).text()).isEqualTo("brk #0x86");
        assertThat(decode(0xD40010C3).text()).isEqualTo("smc #0x86");
        assertThat(decode(0x8B020020).text()).isEqualTo("add x0, x1, x2");
        assertThat(decode(0x8B020020).length()).isEqualTo(4);
    }

    @Test
    void mrsWritesOnlyItsDestinationAndTheZeroRegisterIsNotTracked() {
        assertThat(access(0xD533011F)).isEqualTo(RegisterAccess.NONE);
        assertThat(access(0xD5330100)).isEqualTo(new RegisterAccess(Set.of(), Set.of(X0), false, false));
        assertThat(access(0xD51B4200)).isEqualTo(new RegisterAccess(Set.of(X0), Set.of(NZCV), false, false)); // msr nzcv, x0
    }

    @Test
    void mapsSubRegistersAndFlags() {
        assertThat(access(0x8B020020)).isEqualTo(new RegisterAccess(Set.of(X1, X2), Set.of(X0), false, false));
        assertThat(access(0x2A0103E7)).isEqualTo(new RegisterAccess(Set.of(X1), Set.of(X7), false, false)); // mov w7, w1
        assertThat(access(0xEB02003F)).isEqualTo(new RegisterAccess(Set.of(X1, X2), Set.of(NZCV), false, false)); // cmp
        assertThat(access(0xD65F03C0).reads()).containsExactly(X30); // ret
    }

    @Test
    void reportsMemoryDirection() {
        assertThat(access(0xF9400020)).isEqualTo(new RegisterAccess(Set.of(X1), Set.of(X0), true, false)); // ldr x0, [x1]
        assertThat(access(0xF9000020)).isEqualTo(new RegisterAccess(Set.of(X0, X1), Set.of(), false, true)); // str x0, [x1]
        assertThat(access(0xA9BF7BFD)).isEqualTo(                      // stp x29, x30, [sp, #-0x10]!
                new RegisterAccess(Set.of(X29, X30, SP), Set.of(SP), false, true));
    }

    @Test
    void sweepStepsOverUndecodableWordsAndTrailingBytes() {
        byte[] code = new byte[14];
        System.arraycopy(words(0xD503201F, 0x00000000, 0xD40010C2), 0, code, 0, 12);
        code[12] = 1;
        code[13] = 2;

        List<Instruction> all = arm.disassemble(code, 0x8000);

        assertThat(all).extracting(Instruction::text)
                .containsExactly("nop", ".inst 0x00000000", "hvc #0x86", ".byte 0x01", ".byte 0x02");
        assertThat(all).extracting(Instruction::address).containsExactly(0x8000L, 0x8004L, 0x8008L, 0x800cL, 0x800dL);
        assertThat(all.get(1).data()).isTrue();
    }

    @Test
    void movzAndShiftAliasesOnlyWriteTheirDestinationWhileMovkAlsoReadsIt() {
        assertThat(decode(0xD28B0D08).text()).isEqualTo("movz x8, #0x5868");
        assertThat(access(0xD28B0D08).reads()).doesNotContain(Arm64Register.X8);
        assertThat(access(0xD28B0D08).writes()).contains(Arm64Register.X8);
        assertThat(decode(0x531D7002).text()).isEqualTo("lsl w2, w0, #3");
        assertThat(access(0x531D7002).reads()).containsExactly(Arm64Register.X0);
        assertThat(decode(0xF2AAC9A8).text()).isEqualTo("movk x8, #0x564d, lsl #16");
        assertThat(access(0xF2AAC9A8).reads()).contains(Arm64Register.X8);
    }
}
