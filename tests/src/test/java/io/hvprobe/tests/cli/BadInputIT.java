package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bad input: one clear line on stderr and the documented exit status. */
class BadInputIT {
    @TempDir
    Path dir;

    private static void inputError(Result r, String expected) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.errLines().getFirst()).startsWith("hvprobe: ").contains(expected);
    }

    @Test
    void aMissingFileIsNamed() {
        inputError(Hvprobe.run("run", dir.resolve("nope.o"), "-f", "x"), "no such file: " + dir.resolve("nope.o"));
        inputError(Hvprobe.run("check", dir.resolve("nope")), "no such file: ");
    }

    @Test
    void aFileThatIsNotElfIsRefused() throws Exception {
        Path txt = dir.resolve("notes.o");
        Files.writeString(txt, "hello", StandardCharsets.UTF_8);
        inputError(Hvprobe.run("scan", txt), "not an ELF file");
    }

    @Test
    void unsupportedArchitecturesAreRefused() throws Exception {
        Path obj = Files.copy(Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), dir.resolve("riscv.o"));
        byte[] b = Files.readAllBytes(obj);
        b[18] = (byte) 243; // e_machine = EM_RISCV
        b[19] = 0;
        Files.write(obj, b);
        inputError(Hvprobe.run("run", obj, "-f", "hv_detect"), "EM_RISCV");

        Path elf32 = dir.resolve("elf32.o");
        byte[] c = Files.readAllBytes(Hvprobe.sample("x86_64/gcc/O2/detect-port.o"));
        c[4] = 1; // EI_CLASS = ELFCLASS32
        Files.write(elf32, c);
        inputError(Hvprobe.run("disasm", elf32, "-f", "hv_detect"), "32-bit ELF");
    }

    @Test
    void anUnknownFunctionNamesTheDefinedOnes() {
        inputError(Hvprobe.run("trace", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_nope"),
                "no function 'hv_nope' (defined: hv_detect, hv_product_type)");
    }

    @Test
    void anUnknownProfileOrModelIsAnInputError() {
        inputError(Hvprobe.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect",
                "--profile", "nope"), "nope");
        inputError(Hvprobe.run("commands", "--hv", "xen"), "no hypervisor model named 'xen'");
    }

    @Test
    void usageErrorsExitTwo() {
        Result r = Hvprobe.run("check", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "--format", "xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --format 'xml'");
        assertThat(Hvprobe.run("run", "x.o").exit()).isEqualTo(2);
        assertThat(Hvprobe.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect", "--arg",
                "twelve").exit()).isEqualTo(2);
        assertThat(Hvprobe.run().exit()).isEqualTo(2);
    }
}
