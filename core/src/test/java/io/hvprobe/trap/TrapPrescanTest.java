package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.disasm.X86Lengths;
import io.hvprobe.elf.ElfFile;
import io.hvprobe.elf.ElfSection;
import io.hvprobe.elf.Toolchain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pre-scan that lets a check skip objects without loading them: false only for objects without any trap site,
 * and its x86 instruction lengths agree with Capstone's sweep wherever it vouches for them.
 */
class TrapPrescanTest {
    /** Plain code whose bytes hold port-I/O opcodes inside other instructions (displacements -0x14, immediates). */
    private static final String PLAIN = """
            struct s { int a, b, c, d, e, f; };
            int plain(int a, int b) { volatile int x[8]; x[3] = a; x[5] = b * 0xec; return x[3] + x[5] + 0x6c6d6e6f; }
            long mix(struct s *p, long n) { long t = 0; for (long i = 0; i < n; i++) t += p[i].e * 0xee + p[i].f; return t; }
            void fill(float *v, int n) { for (int i = 0; i < n; i++) v[i] = v[i] * 1.5f + 0.25f; }
            """;

    private static ElfFile compile(Path dir, Toolchain tc, String source, String... flags) throws Exception {
        Files.writeString(dir.resolve("guest.c"), source);
        List<String> all = new ArrayList<>(List.of("-c", "-fno-asynchronous-unwind-tables"));
        all.addAll(List.of(flags));
        Path o = tc.compile(dir, "guest.c", "guest.o", all.toArray(String[]::new));
        return ElfFile.parse("guest.o", Files.readAllBytes(o));
    }

    private static List<TrapSite> scannerSites(ElfFile elf) {
        List<TrapSite> sites = new ArrayList<>();
        try (Disassembler d = elf.header().arch() == Arch.X86_64 ? Disassembler.open(Arch.X86_64, DecodeDetail.TEXT)
                : null) {
            TrapSiteScanner scanner = d != null ? TrapSiteScanner.x86(d, new TrapDecoder())
                    : TrapSiteScanner.arm64(new TrapDecoder());
            for (ElfSection s : elf.sections()) {
                if (s.isExecutable() && !s.isNoBits()) {
                    sites.addAll(scanner.scan(elf.contents(s), 0));
                }
            }
        }
        return sites;
    }

    @Test
    void plainX86CodeIsSkippedThoughItsBytesHoldPortIoOpcodes(@TempDir Path dir) throws Exception {
        for (String opt : List.of("-O0", "-O2")) {
            ElfFile elf = compile(dir, Toolchain.GCC_X86_64, PLAIN, opt, "-mavx2");
            byte[] text = elf.contents(elf.section(".text").orElseThrow());
            assertThat(new String(text, java.nio.charset.StandardCharsets.ISO_8859_1)).containsAnyOf("\u00ec", "\u00ee");

            assertThat(scannerSites(elf)).isEmpty();
            assertThat(new TrapPrescan(new TrapDecoder()).mayHoldTrapSites(elf)).as(opt).isFalse();
        }
    }

    @Test
    void everyX86TrapFormMakesTheObjectLoad(@TempDir Path dir) throws Exception {
        for (String insn : List.of("inl %%dx, %%eax", "outb %%al, $0x80", "rep insb", "vmcall", "vmmcall", "tdcall",
                "cpuid")) {
            ElfFile elf = compile(dir, Toolchain.GCC_X86_64, PLAIN + "void trap(void) { __asm__ volatile(\"" + insn
                    + "\" ::: \"memory\"); }\n", "-O2");

            assertThat(new TrapPrescan(new TrapDecoder()).mayHoldTrapSites(elf)).as(insn).isTrue();
        }
    }

    @Test
    void arm64ObjectsLoadOnlyWithATrapWord(@TempDir Path dir) throws Exception {
        TrapPrescan prescan = new TrapPrescan(new TrapDecoder());
        ElfFile plain = compile(dir, Toolchain.GCC_ARM64, PLAIN, "-O2");
        assertThat(scannerSites(plain)).isEmpty();
        assertThat(prescan.mayHoldTrapSites(plain)).isFalse();

        for (String insn : List.of("hvc #0", "smc #0", "mrs xzr, mdccsr_el0", "brk #0x800")) {
            ElfFile elf = compile(dir, Toolchain.GCC_ARM64, PLAIN + "void trap(void) { __asm__ volatile(\"" + insn
                    + "\" ::: \"memory\"); }\n", "-O2");
            assertThat(prescan.mayHoldTrapSites(elf)).as(insn).isTrue();
        }
    }

    @Test
    void x86LengthsAgreeWithCapstoneAtEveryInstructionOfCompiledCode(@TempDir Path dir) throws Exception {
        int vouched = 0;
        for (String opt : List.of("-O0", "-O2", "-O3")) {
            ElfFile elf = compile(dir, Toolchain.GCC_X86_64, PLAIN, opt, "-mavx512f");
            byte[] text = elf.contents(elf.section(".text").orElseThrow());
            List<Instruction> insns = new ArrayList<>();
            try (Disassembler d = Disassembler.open(Arch.X86_64, DecodeDetail.TEXT)) {
                d.sweep(text, 0, insns::add);
            }
            for (Instruction i : insns) {
                int length = X86Lengths.length(text, (int) i.address(), text.length);
                assertThat(length).as("%s at %x (%s %s)", opt, i.address(), i.mnemonic(), i.operands())
                        .isIn(X86Lengths.UNSURE, i.length());
                vouched += length == i.length() ? 1 : 0;
            }
            assertThat(insns).allMatch(i -> !i.data());
        }
        assertThat(vouched).isGreaterThan(100);
    }

    @Test
    void x86LengthsOfKnownEncodings() {
        assertThat(len("0f 01 c1")).isEqualTo(3);                       // vmcall
        assertThat(len("66 0f 01 cc")).isEqualTo(4);                    // tdcall
        assertThat(len("48 b8 01 02 03 04 05 06 07 08")).isEqualTo(10); // movabs rax, imm64
        assertThat(len("66 b8 34 12")).isEqualTo(4);                    // mov ax, imm16
        assertThat(len("89 7d ec")).isEqualTo(3);                       // mov [rbp-0x14], edi
        assertThat(len("8b 04 25 00 00 00 00")).isEqualTo(7);           // mov eax, [abs32] (SIB, no base)
        assertThat(len("f7 c7 00 01 00 00")).isEqualTo(6);              // test edi, imm32
        assertThat(len("f7 df")).isEqualTo(2);                          // neg edi
        assertThat(len("c5 fc 77")).isEqualTo(3);                       // vzeroall
        assertThat(len("c4 e3 7d 18 c1 01")).isEqualTo(6);              // vinsertf128 ymm0, ymm0, xmm1, 1
        assertThat(len("62 f1 7c 48 28 c1")).isEqualTo(6);              // vmovaps zmm0, zmm1
        assertThat(len("f3 0f 1e fa")).isEqualTo(4);                    // endbr64
        assertThat(len("06")).isEqualTo(X86Lengths.UNSURE);             // push es: invalid in 64-bit mode
        assertThat(len("0f 01")).isEqualTo(X86Lengths.UNSURE);          // cut short
    }

    private static int len(String hex) {
        byte[] b = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
        return X86Lengths.length(b, 0, b.length);
    }
}
