package io.hvprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CPUID behind Xen's forced-emulation prefix ({@code ud2; "xen"; cpuid}, as open-vm-tools' Hostinfo_TouchXen):
 * reached when its prefix raises #UD under a hypervisor other than Xen PV, and the bytes "xen" are no trap sites.
 */
class XenPrefixCoverageTest {
    @TempDir
    Path dir;

    /** Runs {@code hvprobe ARGS}; returns its standard output. */
    private static String output(String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.execute(args);
        return out.toString();
    }

    /** Runs {@code hvprobe ARGS -o FILE} and returns what it wrote to FILE. */
    private String run(String... args) throws Exception {
        Path report = dir.resolve("report");
        Files.deleteIfExists(report);
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "-o";
        all[args.length + 1] = report.toString();
        CommandLine cl = Main.commandLine(all);
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.execute(all);
        return Files.readString(report);
    }

    @Test
    void theCpuidIsReachedAtItsPrefixAndXenIsNoInstruction() throws Exception {
        Path src = dir.resolve("xen.c");
        Files.writeString(src, """
                int touch_xen(void) {
                    unsigned eax = 0x40000000, ebx, ecx, edx;
                    __asm__ volatile("ud2; .ascii \\"xen\\"; cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
                    return ebx == 0x566e6558;
                }
                """);
        Path so = dir.resolve("xen.so");
        Gcc.build(src, so, "-O2", "-shared", "-fPIC");

        assertThat(output("scan", so.toString())).contains("CPUID").doesNotContain("OUTS");
        JsonNode json = new ObjectMapper().readTree(run("check", so.toString(), "--format", "json"));
        JsonNode sites = json.get("objects").get(0).get("trapSites");
        assertThat(sites).singleElement().satisfies(s -> {
            assertThat(s.get("form").asText()).isEqualTo("CPUID");
            assertThat(s.get("reached").asBoolean()).isTrue();
            assertThat(s.get("how").asText()).isEqualTo("entry");
        });
    }
}
