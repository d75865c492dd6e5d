package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.hvprobe.disasm.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** Which registers an instruction may change: Capstone's writes and the named operands, or every register. */
class WrittenRegistersTest {
    private static Disassembler x86;
    private static Disassembler arm64;

    @BeforeAll
    static void open() {
        x86 = Disassembler.open(Arch.X86_64);
        arm64 = Disassembler.open(Arch.ARM64);
    }

    @AfterAll
    static void close() {
        x86.close();
        arm64.close();
    }

    private static long x86(String hex) {
        return WrittenRegisters.of(Arch.X86_64, x86.decode(0x1000, bytes(hex)));
    }

    private static long arm64(String hex) {
        return WrittenRegisters.of(Arch.ARM64, arm64.decode(0x1000, bytes(hex)));
    }

    private static boolean has(long mask, GuestRegister r) {
        return (mask & 1L << r.index()) != 0;
    }

    @Test
    void x86WrittenNamedAndImplicitlyDefinedRegistersAreInTheSetOthersAreNot() {
        long mov = x86("4889cb"); // mov rbx, rcx
        assertThat(has(mov, X86Register.RBX)).isTrue();
        assertThat(has(mov, X86Register.RIP)).isTrue();
        assertThat(has(mov, X86Register.R12)).isFalse();

        long pop = x86("415c"); // pop r12
        assertThat(has(pop, X86Register.R12)).isTrue();
        assertThat(has(pop, X86Register.RSP)).isTrue();
        assertThat(has(pop, X86Register.R13)).isFalse();

        long mul = x86("48f7e3"); // mul rbx: RDX:RAX and the flags without naming them
        assertThat(has(mul, X86Register.RDX)).isTrue();
        assertThat(has(mul, X86Register.RAX)).isTrue();
        assertThat(has(mul, X86Register.RFLAGS)).isTrue();
        assertThat(has(mul, X86Register.RBX)).isTrue();
        assertThat(has(mul, X86Register.RCX)).isFalse();
    }

    @Test
    void x86InstructionsThatReachBeyondTheirOperandsMayChangeEverything() {
        assertThat(x86("0fa2")).as("cpuid writes RBX").isEqualTo(WrittenRegisters.ALL);
        assertThat(x86("0f05")).as("syscall").isEqualTo(WrittenRegisters.ALL);
        assertThat(x86("0f01c1")).as("vmcall").isEqualTo(WrittenRegisters.ALL);
        assertThat(x86("0f0b")).as("ud2").isEqualTo(WrittenRegisters.ALL);
    }

    @Test
    void arm64WriteBackBaseLinkRegisterAndFlagsAreInTheSet() {
        long post = arm64("208440f8"); // ldr x0, [x1], #8
        assertThat(has(post, Arm64Register.X0)).isTrue();
        assertThat(has(post, Arm64Register.X1)).as("the written-back base").isTrue();
        assertThat(has(post, Arm64Register.X5)).isFalse();

        long cmp = arm64("5f0003eb"); // cmp x2, x3
        assertThat(has(cmp, Arm64Register.NZCV)).isTrue();
        assertThat(has(cmp, Arm64Register.X4)).isFalse();

        long bl = arm64("02000094"); // bl #8
        assertThat(has(bl, Arm64Register.X30)).isTrue();
    }

    @Test
    void arm64ExceptionsAndSystemRegistersMayChangeEverything() {
        assertThat(arm64("010000d4")).as("svc #0").isEqualTo(WrittenRegisters.ALL);
        assertThat(arm64("020000d4")).as("hvc #0").isEqualTo(WrittenRegisters.ALL);
        assertThat(arm64("1f4218d5")).as("msr spsel, xzr").isEqualTo(WrittenRegisters.ALL);
        assertThat(arm64("3f2303d5")).as("paciasp, a hint to Capstone 4, signs X30").isEqualTo(WrittenRegisters.ALL);
    }
}
