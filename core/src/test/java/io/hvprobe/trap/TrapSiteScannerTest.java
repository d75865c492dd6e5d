package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrapSiteScannerTest {
    private static Disassembler x86;

    @BeforeAll
    static void open() {
        x86 = Disassembler.open(Arch.X86_64, DecodeDetail.TEXT);
    }

    @AfterAll
    static void close() {
        x86.close();
    }

    /** Assembles a buffer piece by piece, remembering where each piece starts. */
    private static final class Buffer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        int add(String hex) {
            int at = out.size();
            out.writeBytes(HexFormat.of().parseHex(hex.replace(" ", "")));
            return at;
        }

        int addWords(int... words) {
            int at = out.size();
            for (int w : words) {
                out.writeBytes(new byte[] {(byte) w, (byte) (w >>> 8), (byte) (w >>> 16), (byte) (w >>> 24)});
            }
            return at;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    @Test
    void findsX86SitesAtInstructionBoundariesOnly() {
        Buffer b = new Buffer();
        b.add("55");                              // push rbp
        b.add("48 89 e5");                        // mov rbp, rsp
        b.add("b9 ec 00 ed 00");                  // mov ecx, 0xed00ec: trap opcodes inside an immediate
        b.add("b8 68 58 4d 56");                  // mov eax, 0x564d5868
        b.add("66 ba 58 56");                     // mov dx, 0x5658
        int in = b.add("ed");                     // in eax, dx
        int vmcall = b.add("0f 01 c1");
        b.add("06 27");                           // undecodable in 64-bit mode
        int tdcall = b.add("66 0f 01 cc");
        int repIns = b.add("f3 6c");
        b.add("48 8d 05 e4 00 00 00");            // lea rax, [rip + 0xe4]: E4 as displacement
        int cpuid = b.add("0f a2");
        int out = b.add("66 e7 80");              // out 0x80, ax
        b.add("c3");
        long base = 0xffff_ffff_c000_0000L;       // kernel-module-like address

        List<TrapSite> sites = TrapSiteScanner.x86(x86, new TrapDecoder()).scan(b.bytes(), base);

        assertThat(sites).extracting(TrapSite::form).containsExactly(
                TrapForm.IN, TrapForm.VMCALL, TrapForm.TDCALL, TrapForm.INS, TrapForm.CPUID, TrapForm.OUT);
        assertThat(sites).extracting(TrapSite::address).containsExactly(
                base + in, base + vmcall, base + tdcall, base + repIns, base + cpuid, base + out);
        assertThat(sites).extracting(TrapSite::text).containsExactly(
                "in eax, dx", "vmcall", "tdcall", "rep insb byte ptr [rdi], dx", "cpuid", "out 0x80, ax");
    }

    @Test
    void findsArm64SitesInEveryWordButNotBetweenWords() {
        Buffer b = new Buffer();
        b.addWords(0xA9BF7BFD);                   // stp x29, x30, [sp, #-0x10]!
        int mrs = b.addWords(0xD533011F);         // mrs xzr, mdccsr_el0
        b.addWords(0x8B020020);                   // add x0, x1, x2
        int hvc = b.addWords(0xD40010C2);         // hvc #0x86
        b.addWords(0x00000000, 0xD53BE040);       // data, mrs x0, cntvct_el0 (not trapped)
        int brk = b.addWords(0xD42010C0);         // brk #0x86
        b.add("00 00 1f 01 33 d5 00 00");         // mrs xzr, mdccsr_el0 straddling two words: no site
        int last = b.addWords(0xD5330100);        // mrs x0, mdccsr_el0
        b.add("c2 10");                           // trailing half word

        List<TrapSite> sites = TrapSiteScanner.arm64(new TrapDecoder()).scan(b.bytes(), 0x40_0000);

        assertThat(sites).extracting(TrapSite::address).containsExactly(
                0x40_0000L + mrs, 0x40_0000L + hvc, 0x40_0000L + brk, 0x40_0000L + last);
        assertThat(sites).extracting(TrapSite::text).containsExactly(
                "mrs xzr, mdccsr_el0", "hvc #0x86", "brk #0x86", "mrs x0, mdccsr_el0");
    }

    @Test
    void siteAtDecodesTheBytesReadAtPc() {
        TrapSiteScanner scanner = TrapSiteScanner.x86(x86, new TrapDecoder());

        assertThat(scanner.siteAt(0x1234, HexFormat.of().parseHex("ed9090")).orElseThrow().form())
                .isEqualTo(TrapForm.IN);
        assertThat(scanner.siteAt(0x1234, HexFormat.of().parseHex("909090"))).isEmpty();
        assertThat(TrapSiteScanner.arm64(new TrapDecoder()).siteAt(0, HexFormat.of().parseHex("c21000d4"))
                .orElseThrow().form()).isEqualTo(TrapForm.HVC);
    }

    @Test
    void x86ScannerNeedsAnX86Disassembler() {
        try (Disassembler arm = Disassembler.open(Arch.ARM64, DecodeDetail.TEXT)) {
            assertThatThrownBy(() -> TrapSiteScanner.x86(arm, new TrapDecoder()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
