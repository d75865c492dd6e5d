package io.hvprobe.coverage;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.trap.TrapSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The code shown at a trap site: its source line when built with {@code -g}, else the disassembly around it. */
class SiteCodeReaderTest {
    /** The port call is on line 4. */
    private static final String SOURCE = """
            unsigned version(void) {
                unsigned eax = 0x564D5868, ebx = 0, ecx = 10, edx = 0x5658;
                /* the trap: */
                __asm__ volatile("inl %%dx, %%eax" : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx));
                return eax + ebx;
            }
            """;

    @TempDir
    Path dir;

    private SiteCode codeOfTheOneSite(String file, String... flags) throws Exception {
        Path src = dir.resolve(file);
        Files.writeString(src, SOURCE);
        Path obj = dir.resolve(file + ".o");
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-fno-pic", "-c"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of(src.toString(), "-o", obj.toString()));
        Toolchain.run(cmd);
        try (Probe probe = Probe.open(obj, ProbeOptions.defaults().withHypervisor("test-hv"));
             SiteCodeReader reader = new SiteCodeReader(probe.image())) {
            List<TrapSite> sites = probe.sites();
            assertThat(sites).hasSize(1);
            return reader.code(sites.getFirst().address());
        }
    }

    @Test
    void builtWithDebugInfoTheSiteIsItsSourceLineWithTheLinesAroundIt() throws Exception {
        SiteCode code = codeOfTheOneSite("version.c", "-g");

        assertThat(code).isInstanceOf(SiteCode.Source.class);
        SiteCode.Source s = (SiteCode.Source) code;
        assertThat(s.at().file()).endsWith("/version.c");
        assertThat(s.at().line()).isEqualTo(4);
        assertThat(s.at().function()).isEqualTo("version");
        assertThat(s.text()).extracting(SiteCode.TextLine::number).containsExactly(2, 3, 4, 5, 6);
        assertThat(s.text().get(2).text()).contains("__asm__ volatile(\"inl %%dx, %%eax\"");
    }

    @Test
    void withoutDebugInfoTheSiteIsTheDisassemblyAroundItWithTheTrapMarked() throws Exception {
        SiteCode code = codeOfTheOneSite("version.c", "-g0");

        assertThat(code).isInstanceOf(SiteCode.Disassembly.class);
        List<SiteCode.CodeLine> lines = ((SiteCode.Disassembly) code).lines();
        assertThat(lines).filteredOn(SiteCode.CodeLine::trap).extracting(SiteCode.CodeLine::text)
                .containsExactly("in eax, dx");
        int trap = lines.indexOf(lines.stream().filter(SiteCode.CodeLine::trap).findFirst().orElseThrow());
        // The instructions that load the registers come before it, and the window is at most 4 + 1 + 4.
        assertThat(lines.subList(0, trap)).extracting(SiteCode.CodeLine::text).contains("mov edx, 0x5658");
        assertThat(trap).isBetween(1, SiteCodeReader.AROUND);
        assertThat(lines.size() - trap - 1).isBetween(1, SiteCodeReader.AROUND);
        assertThat(lines).extracting(SiteCode.CodeLine::address).isSorted();
    }

    @Test
    void aFileTheObjectNamesIsQuotedOnlyWhenItIsNamedLikeSource() throws Exception {
        // Compiled as C from a file whose name is not a source file's: its position is shown, never its text.
        SiteCode code = codeOfTheOneSite("notes.txt", "-x", "c", "-g");

        assertThat(code).isInstanceOf(SiteCode.Source.class);
        assertThat(((SiteCode.Source) code).at().file()).endsWith("/notes.txt");
        assertThat(((SiteCode.Source) code).text()).isEmpty();
    }
}
