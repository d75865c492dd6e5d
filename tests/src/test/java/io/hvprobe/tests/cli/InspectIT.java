package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@code scan}, {@code disasm}, {@code compare} and {@code commands} of the command line. */
class InspectIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void scanListsSitesWithFormBytesAndDisassembly() throws Exception {
        Result r = CliRun.run("scan", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"),
                Hvprobe.sample("arm64/gcc/O2/detect-hvc.o"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("detect-port.o (x86_64): 4 trap sites")
                .containsPattern("hv_detect\\+0x[0-9a-f]+ +IN +ed +in eax, dx")
                .containsPattern("hv_detect\\+0x[0-9a-f]+ +HVC +[0-9a-f ]+ +hvc #0x86");
        JsonNode json = JSON.readTree(CliRun.run("scan", Hvprobe.sample("x86_64/gcc/O2/detect-vmcall.o"),
                "--format", "json").out());
        JsonNode sites = json.get("objects").get(0).get("sites");
        assertThat(sites.findValuesAsText("form")).contains("VMCALL", "CPUID");
        assertThat(sites.findValuesAsText("bytes")).contains("0f01c1");
    }

    @Test
    void scanListsLinuxAlternativeReplacementCodeSeparately() throws Exception {
        Path obj = Hvprobe.compile(dir, "alt.o", """
                    .text
                    .globl hc
                    .type hc, @function
                hc:
                    movw $0x5658, %dx
                1:  inl %dx, %eax
                    ret
                    .size hc, .-hc
                    .pushsection .altinstr_replacement, "ax"
                2:  vmcall
                    .popsection
                """, "gcc");
        Result r = CliRun.run("scan", obj);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("alt.o (x86_64): 1 trap site\n")
                .contains("alternative variants (.altinstr_replacement):")
                .containsPattern(".altinstr_replacement\\+0x0 +VMCALL +0f 01 c1 +vmcall");
        JsonNode json = JSON.readTree(CliRun.run("scan", obj, "--format", "json").out());
        assertThat(json.get("objects").get(0).get("sites").findValuesAsText("alternative")).containsExactly("false",
                "true");
    }

    @Test
    void disasmMarksTrapSitesAndNamesCallTargets() {
        Result r = CliRun.run("disasm", Hvprobe.sample("x86_64/gcc/kernel-fentry/detect-port.o"), "-f", "hv_detect");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("call 0x[0-9a-f]+ +; __fentry__")
                .containsPattern("in eax, dx +<-- trap: IN port in dx, 4 bytes")
                .containsPattern("je 0x[0-9a-f]+ +; hv_detect\\+0x");
    }

    @Test
    void disasmShowsTheRelocationBehindAnAbsoluteOperand() {
        Result x86 = CliRun.run("disasm", Hvprobe.sample("x86_64/gcc/O2/rpc-port.o"), "-f", "info_roundtrip");
        assertThat(x86.exit()).as(x86.toString()).isZero();
        assertThat(x86.out()).containsPattern("mov edi, 0x[0-9a-f]+ +; \\[R_X86_64_32 \\.rodata\\+0x[0-9a-f]+\\]\n");
        Result fentry = CliRun.run("disasm", Hvprobe.sample("x86_64/gcc/kernel-fentry/detect-port.o"), "-f",
                "hv_detect");
        assertThat(fentry.out()).containsPattern("call 0x[0-9a-f]+ +; __fentry__  \\[R_X86_64_PLT32 __fentry__-0x4\\]");
        Result arm = CliRun.run("disasm", Hvprobe.sample("arm64/gcc/O2/rpc-hvc.o"), "-f", "info_roundtrip");
        assertThat(arm.out()).containsPattern("add x19, x19, #0 +; \\[R_AARCH64_ADD_ABS_LO12_NC \\.rodata\\]");
    }

    @Test
    void compareSaysEquivalentForTheSameWrapperAndNotForDifferentResults() throws Exception {
        Path obj = Hvprobe.sample("x86_64/gcc/O2/detect-port.o");
        Result same = CliRun.run("compare", obj, "-f", "hv_detect", "-f", "hv_detect");
        assertThat(same.exit()).as(same.toString()).isZero();
        assertThat(same.out()).contains("hypervisor-visible inputs: equivalent").contains("verdict: equivalent");
        Result diff = CliRun.run("compare", obj, "-f", "hv_detect", "-f", "hv_product_type", "--format", "json");
        assertThat(diff.exit()).isEqualTo(1);
        JsonNode j = JSON.readTree(diff.out());
        assertThat(j.get("equivalent").asBoolean()).isFalse();
        assertThat(j.get("inputsEquivalent").asBoolean()).isTrue();
        assertThat(j.get("resultDifference").asText()).isEqualTo("return 0x6 vs 0x2");
        assertThat(j.get("functions").get(0).get("cost").get("instructions").asLong()).isPositive();
    }

    @Test
    void commandsListsTheCatalogueInTextAndJson() throws Exception {
        Result text = CliRun.run("commands");
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("GETVERSION");
        JsonNode j = JSON.readTree(CliRun.run("commands", "--format", "json").out());
        assertThat(j.get("hypervisor").asText()).isEqualTo("vmware");
        assertThat(j.get("commands").findValuesAsText("name")).contains("GETVERSION", "MESSAGE.OPEN");
    }

    @Test
    void helpHasExamplesAndVersionPrintsTheVersion() {
        for (String cmd : new String[] {"run", "trace", "check", "scan", "compare", "disasm", "commands"}) {
            Result r = CliRun.run(cmd, "--help");
            assertThat(r.exit()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: hvprobe " + cmd).contains("Examples:");
        }
        assertThat(CliRun.run("--version").out()).startsWith("hvprobe ");
        Result completion = CliRun.run("generate-completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete").contains("trace");
    }
}
