package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.disasm.DecodeDetail;
import io.hvprobe.disasm.Disassembler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scans the .text of objects compiled at test time and checks the sites against GNU objdump, an independent
 * disassembler. Skipped when the toolchain is missing.
 */
class CompiledObjectScanTest {
    private static final String X86_SOURCE = """
            unsigned int backdoor(unsigned int cmd) {
                unsigned int eax = 0x564D5868, ebx = ~0u, ecx = cmd, edx = 0x5658;
                __asm__ volatile("inl %%dx, %%eax" : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx) :: "memory");
                return ebx;
            }
            long hypercall(long nr) {
                long ret;
                __asm__ volatile("vmcall" : "=a"(ret) : "a"(nr) : "memory");
                return ret;
            }
            void read_block(void *buf, unsigned long n) {
                __asm__ volatile("rep insb" : "+D"(buf), "+c"(n) : "d"(0x5659) : "memory");
            }
            int plain(int a, int b) { return a * b + 0xec; }
            """;
    private static final String ARM64_SOURCE = """
            unsigned long probe(void) {
                unsigned long x;
                __asm__ volatile("mrs xzr, mdccsr_el0" ::: "memory");
                __asm__ volatile("mrs %0, mdccsr_el0" : "=r"(x));
                return x;
            }
            void call_hv(void) { __asm__ volatile("hvc #0x86" ::: "memory"); }
            long plain(long a, long b) { return a * b + 7; }
            """;

    private static List<String> run(Path dir, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " not installed: scripts/test installs it", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command[0] + " timed out");
        assertTrue(p.exitValue() == 0, command[0] + " failed: " + output);
        return output.lines().toList();
    }

    /** .text bytes of an object built from {@code source}, plus objdump's offsets of lines matching {@code marker}. */
    private static Compiled compile(Path dir, String prefix, String source, Pattern marker)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve("guest.c"), source);
        run(dir, prefix + "gcc", "-O1", "-c", "-fno-asynchronous-unwind-tables", "-o", "guest.o", "guest.c");
        run(dir, prefix + "objcopy", "-O", "binary", "--only-section=.text", "guest.o", "text.bin");
        List<Long> offsets = new ArrayList<>();
        Pattern line = Pattern.compile("^\\s*([0-9a-f]+):\\s+(?:[0-9a-f]{2,8} )+\\s*(.*)$");
        for (String l : run(dir, prefix + "objdump", "-d", "-M", prefix.isEmpty() ? "intel" : "no-aliases",
                "--section=.text", "guest.o")) {
            Matcher m = line.matcher(l);
            if (m.matches() && marker.matcher(m.group(2)).find()) {
                offsets.add(Long.parseLong(m.group(1), 16));
            }
        }
        return new Compiled(Files.readAllBytes(dir.resolve("text.bin")), offsets);
    }

    private record Compiled(byte[] text, List<Long> objdumpSiteOffsets) {
    }

    @Test
    void findsTheInlineAsmSitesOfAnX86Object(@TempDir Path dir) throws Exception {
        Compiled c = compile(dir, "", X86_SOURCE, Pattern.compile("^(in |vmcall|rep ins)"));
        assertThat(c.objdumpSiteOffsets()).hasSize(3);

        try (Disassembler d = Disassembler.open(Arch.X86_64, DecodeDetail.TEXT)) {
            List<TrapSite> sites = TrapSiteScanner.x86(d, new TrapDecoder()).scan(c.text(), 0);

            assertThat(sites).extracting(TrapSite::address).containsExactlyElementsOf(c.objdumpSiteOffsets());
            assertThat(sites).extracting(TrapSite::text)
                    .containsExactly("in eax, dx", "vmcall", "rep insb byte ptr [rdi], dx");
        }
    }

    @Test
    void findsTheInlineAsmSitesOfAnArm64Object(@TempDir Path dir) throws Exception {
        Compiled c = compile(dir, "aarch64-linux-gnu-", ARM64_SOURCE, Pattern.compile("^(mrs\\s.*mdccsr_el0|hvc\\s)"));
        assertThat(c.objdumpSiteOffsets()).hasSize(3);

        List<TrapSite> sites = TrapSiteScanner.arm64(new TrapDecoder()).scan(c.text(), 0x1000);

        assertThat(sites).extracting(s -> s.address() - 0x1000).containsExactlyElementsOf(c.objdumpSiteOffsets());
        assertThat(sites).extracting(TrapSite::text).startsWith("mrs xzr, mdccsr_el0").contains("hvc #0x86");
    }
}
