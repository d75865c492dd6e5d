package io.hvprobe.arch;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The calling-convention facts each architecture owns. */
class ArchTest {

    @Test
    void x86UsesSystemV() {
        assertThat(Arch.X86_64.returnRegister()).isEqualTo(X86Register.RAX);
        assertThat(Arch.X86_64.argumentRegisters()).containsExactly(X86Register.RDI, X86Register.RSI,
                X86Register.RDX, X86Register.RCX, X86Register.R8, X86Register.R9);
        assertThat(Arch.X86_64.calleeSaved()).containsExactlyInAnyOrder(X86Register.RBX, X86Register.RBP,
                X86Register.RSP, X86Register.R12, X86Register.R13, X86Register.R14, X86Register.R15);
    }

    @Test
    void arm64UsesAapcs64() {
        assertThat(Arch.ARM64.returnRegister()).isEqualTo(Arm64Register.X0);
        assertThat(Arch.ARM64.argumentRegisters()).hasSize(8).startsWith(Arm64Register.X0).endsWith(Arm64Register.X7);
        assertThat(Arch.ARM64.calleeSaved()).hasSize(12).contains(Arm64Register.X19, Arm64Register.X29,
                Arm64Register.SP).doesNotContain(Arm64Register.X30, Arm64Register.X18);
    }

    @Test
    void everyFactIsARegisterOfItsOwnArchitecture() {
        for (Arch a : Arch.values()) {
            List<GuestRegister> own = List.copyOf(a.registers());
            assertThat(own).contains(a.returnRegister(), a.programCounter(), a.stackPointer(), a.flags());
            assertThat(own).containsAll(a.argumentRegisters()).containsAll(a.calleeSaved());
            assertThat(a.calleeSaved()).contains(a.stackPointer());
        }
    }
}
