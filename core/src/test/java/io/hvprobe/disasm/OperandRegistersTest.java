package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.X86Register;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which part of a register an instruction's operands name. */
class OperandRegistersTest {

    private static Instruction insn(String mnemonic, String operands) {
        return new Instruction(0x1000, new byte[] {(byte) 0x90}, mnemonic, operands, false, Optional.empty());
    }

    @Test
    void x86NamesGiveTheirWidths() {
        assertThat(OperandRegisters.namedWidths(Arch.X86_64, insn("mov", "esi, edi"), X86Register.RDI))
                .containsExactly(32);
        assertThat(OperandRegisters.namedWidths(Arch.X86_64, insn("mov", "qword ptr [rbp + 0x20], rcx"),
                X86Register.RCX)).containsExactly(64);
        assertThat(OperandRegisters.namedWidths(Arch.X86_64, insn("mov", "qword ptr [rbp + 0x20], rcx"),
                X86Register.RBP)).containsExactly(64);
        assertThat(OperandRegisters.namedWidths(Arch.X86_64, insn("mov", "sil, r9b"), X86Register.RSI))
                .containsExactly(8);
        assertThat(OperandRegisters.namedWidths(Arch.X86_64, insn("mov", "r9w, ax"), X86Register.R9))
                .containsExactly(16);
        assertThat(OperandRegisters.namedWidths(Arch.X86_64, insn("add", "r8d, 0xa"), X86Register.R8))
                .containsExactly(32);
    }

    @Test
    void namedRegistersAreTheFullRegistersTheOperandsName() {
        // A post-index load names its base, which it writes back; immediates, shifts and xzr are no registers.
        assertThat(OperandRegisters.named(Arch.ARM64, insn("ldr", "w0, [x1], #8")))
                .containsExactlyInAnyOrder(Arm64Register.X0, Arm64Register.X1);
        assertThat(OperandRegisters.named(Arch.ARM64, insn("stp", "x29, x30, [sp, #-0x10]!")))
                .containsExactlyInAnyOrder(Arm64Register.X29, Arm64Register.X30, Arm64Register.SP);
        assertThat(OperandRegisters.named(Arch.ARM64, insn("add", "x0, xzr, x2, lsl #3")))
                .containsExactlyInAnyOrder(Arm64Register.X0, Arm64Register.X2);
        assertThat(OperandRegisters.named(Arch.X86_64, insn("mov", "dword ptr [rbp + r9*4 - 0x20], ESI")))
                .containsExactlyInAnyOrder(X86Register.RBP, X86Register.R9, X86Register.RSI);
        assertThat(OperandRegisters.named(Arch.X86_64, insn("rep stosb", ""))).isEmpty();
    }

    @Test
    void onlyAWholeOrUnnamedRegisterMayBeReadInItsUpperHalf() {
        assertThat(OperandRegisters.mayUseUpperHalf(Arch.X86_64, insn("cmp", "esi, 5"), X86Register.RSI)).isFalse();
        assertThat(OperandRegisters.mayUseUpperHalf(Arch.X86_64, insn("lea", "eax, [rsi + 4]"), X86Register.RSI))
                .isTrue();
        // push names no RSP: the implicit access may use the whole register.
        assertThat(OperandRegisters.mayUseUpperHalf(Arch.X86_64, insn("push", "rbx"), X86Register.RSP)).isTrue();
        assertThat(OperandRegisters.mayUseUpperHalf(Arch.ARM64, insn("mov", "w0, w1"), Arm64Register.X1)).isFalse();
        assertThat(OperandRegisters.mayUseUpperHalf(Arch.ARM64, insn("str", "x1, [x0, #8]"), Arm64Register.X1))
                .isTrue();
    }
}
