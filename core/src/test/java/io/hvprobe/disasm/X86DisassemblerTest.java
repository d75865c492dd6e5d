package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDI;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.arch.X86Register.RFLAGS;
import static io.hvprobe.arch.X86Register.RSP;
import static io.hvprobe.disasm.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class X86DisassemblerTest {
    private static Disassembler x86;

    @BeforeAll
    static void open() {
        x86 = Disassembler.open(Arch.X86_64);
    }

    @AfterAll
    static void close() {
        x86.close();
    }

    private static RegisterAccess access(String hex) {
        return x86.decode(0x1000, bytes(hex)).access().orElseThrow();
    }

    @Test
    void decodesThePortInstructionWithItsRegisters() {
        Instruction in = x86.decode(0x401000, bytes("ed"));

        assertThat(in.text()).isEqualTo("in eax, dx");
        assertThat(in.mnemonic()).isEqualTo("in");
        assertThat(in.operands()).isEqualTo("eax, dx");
        assertThat(in.length()).isEqualTo(1);
        assertThat(in.address()).isEqualTo(0x401000);
        assertThat(in.data()).isFalse();
        assertThat(in.access()).contains(new RegisterAccess(java.util.Set.of(RDX), java.util.Set.of(RAX), false, false));
    }

    @Test
    void decodesHypercallsAndStringIo() {
        assertThat(x86.decode(0, bytes("0f01c1")).text()).isEqualTo("vmcall");
        assertThat(x86.decode(0, bytes("0f01d9")).text()).isEqualTo("vmmcall");
        Instruction repInsb = x86.decode(0, bytes("f36c"));
        assertThat(repInsb.text()).isEqualTo("rep insb byte ptr [rdi], dx");
        assertThat(repInsb.access().orElseThrow().reads()).contains(RDX, RDI, RCX);
        assertThat(repInsb.access().orElseThrow().writes()).contains(RDI, RCX);
        assertThat(repInsb.access().orElseThrow().writesMemory()).isTrue();
    }

    @Test
    void reportsReadAndWrittenRegistersAndMemory() {
        assertThat(x86.decode(0, bytes("4889d8")).text()).isEqualTo("mov rax, rbx");
        assertThat(access("4889d8")).isEqualTo(new RegisterAccess(java.util.Set.of(RBX), java.util.Set.of(RAX), false, false));

        assertThat(x86.decode(0, bytes("53")).text()).isEqualTo("push rbx");
        assertThat(access("53")).isEqualTo(new RegisterAccess(java.util.Set.of(RBX, RSP), java.util.Set.of(RSP), false, true));

        assertThat(access("4801d8").writes()).containsExactlyInAnyOrder(RAX, RFLAGS);
        assertThat(access("8918")).satisfies(a -> {   // mov dword ptr [rax], ebx
            assertThat(a.writesMemory()).isTrue();
            assertThat(a.readsMemory()).isFalse();
        });
        assertThat(access("8b18").readsMemory()).isTrue();              // mov ebx, dword ptr [rax]
        assertThat(access("488d4308").readsMemory()).isFalse();         // lea rax, [rbx + 8]
        assertThat(access("c3")).satisfies(a -> assertThat(a.readsMemory()).isTrue());
    }

    @Test
    void recognisesTdcallWhichCapstone4CannotDecode() {
        Instruction tdcall = x86.decode(0x2000, bytes("66 0f 01 cc 90"));

        assertThat(tdcall.text()).isEqualTo("tdcall");
        assertThat(tdcall.length()).isEqualTo(4);
        assertThat(tdcall.data()).isFalse();
    }

    @Test
    void decodeUsesOnlyTheFirstInstruction() {
        Instruction first = x86.decode(0, bytes("90 ed 0f01c1 c3 90 90 90 90 90 90 90 90 90 90 90 90 90 90"));

        assertThat(first.text()).isEqualTo("nop");
        assertThat(first.length()).isEqualTo(1);
        assertThatThrownBy(() -> x86.decode(0, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sweepStepsOverUndecodableBytes() {
        // nop, 06 (push es: invalid in 64-bit mode), tdcall, in eax, dx, 27 (daa: invalid), ret
        List<Instruction> code = x86.disassemble(bytes("90 06 66 0f 01 cc ed 27 c3"), 0x1000);

        assertThat(code).extracting(Instruction::text)
                .containsExactly("nop", ".byte 0x06", "tdcall", "in eax, dx", ".byte 0x27", "ret");
        assertThat(code).extracting(Instruction::address)
                .containsExactly(0x1000L, 0x1001L, 0x1002L, 0x1006L, 0x1007L, 0x1008L);
        assertThat(code).filteredOn(Instruction::data).extracting(Instruction::length).containsOnly(1);
        assertThat(code.get(1).access()).isEmpty();
    }

    @Test
    void sweepStepsOverWholeEvexInstructionsCapstone4CannotDecode() {
        // vgf2p8affineqb $0xec, zmm1, zmm2, zmm3; vaesenc zmm3, zmm2, [rax + 0xec]; vpshldq $0xed, zmm1, zmm2, zmm3;
        // vpdpbusd zmm3, zmm2, zmm1; ret. Stepping one byte at each refused 62 read "in eax, dx" and "rep insd"
        // out of their immediates and displacements.
        List<Instruction> code = x86.disassemble(bytes("62 f3 ed 48 ce d9 ec  62 f2 6d 48 dc 98 ec 00 00 00"
                + "  62 f3 ed 48 71 d9 ed  62 f2 6d 48 50 d9  c3"), 0x1000);

        assertThat(code).extracting(Instruction::address)
                .containsExactly(0x1000L, 0x1007L, 0x1011L, 0x1018L, 0x101eL);
        assertThat(code.get(0).text()).isEqualTo(".byte 0x62, 0xf3, 0xed, 0x48, 0xce, 0xd9, 0xec");
        assertThat(code.subList(0, 4)).allMatch(Instruction::data);
        assertThat(code.get(4).text()).isEqualTo("ret");
    }

    @Test
    void sweepEndsWithATruncatedInstructionAsData() {
        // mov eax, imm32 cut after one immediate byte; the lone 01 (add r/m, r) lacks its ModRM byte
        List<Instruction> code = x86.disassemble(bytes("90 b8 01"), 0);

        assertThat(code).extracting(Instruction::text).containsExactly("nop", ".byte 0xb8", ".byte 0x01");
    }

    @Test
    void sweepStaysInStepAcrossItsInternalWindows() {
        // 100,000 x "mov rax, rbx" (300,000 bytes) spans several native windows and result batches.
        byte[] code = new byte[300_000];
        for (int i = 0; i < code.length; i += 3) {
            code[i] = 0x48;
            code[i + 1] = (byte) 0x89;
            code[i + 2] = (byte) 0xd8;
        }
        List<Instruction> all = x86.disassemble(code, 0x10_0000);

        assertThat(all).hasSize(100_000);
        assertThat(all).extracting(Instruction::text).containsOnly("mov rax, rbx");
        assertThat(all.get(99_999).address()).isEqualTo(0x10_0000L + 299_997);
    }

    @Test
    void sweepCoversEveryByteOfArbitraryData() {
        byte[] noise = new byte[20_000];
        new java.util.Random(42).nextBytes(noise);
        List<Instruction> all = x86.disassemble(noise, 0x5000);

        long expected = 0x5000;
        for (Instruction i : all) {
            assertThat(i.address()).isEqualTo(expected);
            assertThat(i.matches(noise, (int) (i.address() - 0x5000))).isTrue();
            expected = i.end();
        }
        assertThat(expected).isEqualTo(0x5000L + noise.length);
    }

    @Test
    void textOnlyDisassemblerLeavesAccessEmpty() {
        try (Disassembler plain = Disassembler.open(Arch.X86_64, DecodeDetail.TEXT)) {
            Instruction in = plain.decode(0, bytes("ed"));
            assertThat(in.text()).isEqualTo("in eax, dx");
            assertThat(in.access()).isEmpty();
            assertThat(plain.detail()).isEqualTo(DecodeDetail.TEXT);
        }
    }

    @Test
    void closedDisassemblerRefusesWork() {
        Disassembler d = Disassembler.open(Arch.X86_64);
        d.close();
        d.close();
        assertThatThrownBy(() -> d.decode(0, bytes("90"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bytesOfAnInstructionAreCopied() {
        byte[] raw = bytes("ed");
        Instruction in = x86.decode(0x9000, raw);
        in.bytes()[0] = 0;
        raw[0] = 0;
        assertThat(in.bytes()).isEqualTo(bytes("ed"));
        assertThat(Arrays.equals(in.bytes(), bytes("ed"))).isTrue();
    }
}
