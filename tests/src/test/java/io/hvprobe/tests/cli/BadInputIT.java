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
        inputError(CliRun.run("run", dir.resolve("nope.o"), "-f", "x"), "no such file: " + dir.resolve("nope.o"));
        inputError(CliRun.run("check", dir.resolve("nope")), "no such file: ");
    }

    @Test
    void aFileThatIsNotElfIsRefused() throws Exception {
        Path txt = dir.resolve("notes.o");
        Files.writeString(txt, "hello", StandardCharsets.UTF_8);
        inputError(CliRun.run("scan", txt), "not an ELF file");
    }

    @Test
    void unsupportedArchitecturesAreRefused() throws Exception {
        Path obj = Files.copy(Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), dir.resolve("riscv.o"));
        byte[] b = Files.readAllBytes(obj);
        b[18] = (byte) 243; // e_machine = EM_RISCV
        b[19] = 0;
        Files.write(obj, b);
        inputError(CliRun.run("run", obj, "-f", "hv_detect"), "hvprobe: " + obj + ": machine 243 (EM_RISCV)");

        Path elf32 = dir.resolve("elf32.o");
        byte[] c = Files.readAllBytes(Hvprobe.sample("x86_64/gcc/O2/detect-port.o"));
        c[4] = 1; // EI_CLASS = ELFCLASS32
        Files.write(elf32, c);
        inputError(CliRun.run("disasm", elf32, "-f", "hv_detect"), "hvprobe: " + elf32 + ": 32-bit ELF");
        inputError(CliRun.run("scan", elf32), "hvprobe: " + elf32 + ": 32-bit ELF");
    }

    @Test
    void anUnknownFunctionNamesTheDefinedOnes() {
        inputError(CliRun.run("trace", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_nope"),
                "no function 'hv_nope' (defined: hv_detect, hv_product_type)");
    }

    @Test
    void anUnknownProfileOrModelIsAnInputError() {
        inputError(CliRun.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect",
                "--profile", "nope"), "nope");
        inputError(CliRun.run("commands", "--hv", "xen"), "no hypervisor model named 'xen'");
    }

    private static void usageError(Result r, String expected) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(2);
        assertThat(r.errLines().getFirst()).isEqualTo("hvprobe: " + expected);
        assertThat(r.errLines().get(1)).startsWith("Try 'hvprobe ").endsWith(" --help' for more information.");
    }

    private static Path patched(Path dir, String name, int offset, int... bytes) throws Exception {
        byte[] b = Files.readAllBytes(Hvprobe.sample("x86_64/gcc/O2/detect-port.o"));
        for (int i = 0; i < bytes.length; i++) {
            b[offset + i] = (byte) bytes[i];
        }
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void bigEndianAndArm32ObjectsAreRefused() throws Exception {
        inputError(CliRun.run("scan", patched(dir, "be.o", 5, 2)), "big-endian ELF (ELFDATA2MSB) is not supported");
        // EM_ARM (40) in an ELF64 header.
        inputError(CliRun.run("run", patched(dir, "arm.o", 18, 40, 0), "-f", "hv_detect"), "machine 40");
    }

    @Test
    void aDirectoryWithoutObjectsAndADirectoryWhereAFileIsNeededAreInputErrors() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("README"), "no objects here", StandardCharsets.UTF_8);
        inputError(CliRun.run("check", empty), "no ELF objects found in " + empty);
        inputError(CliRun.run("run", empty, "-f", "f"), empty + ": is a directory");
    }

    @Test
    void aDataSymbolIsNotAFunction() {
        inputError(CliRun.run("run", Hvprobe.sample("x86_64/gcc/O2/rpc-port.o"), "-f", "get_req"),
                "'get_req' is a data object in .rodata, not a function");
    }

    @Test
    void aBrokenProfileFileIsOneLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"version-magic\": ", StandardCharsets.UTF_8);
        inputError(CliRun.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect",
                "--profile", bad), "profile file " + bad + ": not valid JSON");
        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "magic: 1\n", StandardCharsets.UTF_8);
        inputError(CliRun.run("check", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "--profile", "vmware",
                "--profile", unknown), "setting 'magic' = '1': unknown setting");
        inputError(CliRun.run("commands", "--profile", dir.resolve("absent.json")), "profile file not found");
    }

    @Test
    void anOutputFileThatCannotBeWrittenIsAnInputErrorBeforeAnyWork() {
        Path nowhere = dir.resolve("no-such-dir/out.txt");
        inputError(CliRun.run("trace", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect", "-o",
                nowhere), "cannot write " + nowhere + ": no such directory " + nowhere.getParent());
        inputError(CliRun.run("check", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "--format", "sarif", "-o", dir),
                "cannot write " + dir + ": it is a directory");
    }

    @Test
    void aFullDiskIsAnInputErrorNotAnInternalOne() {
        Path obj = Hvprobe.sample("x86_64/gcc/O2/detect-port.o");
        inputError(CliRun.run("trace", obj, "-f", "hv_detect", "-o", "/dev/full"),
                "cannot write /dev/full: No space left on device");
        inputError(CliRun.run("check", obj, "--format", "junit", "-o", "/dev/full"),
                "cannot write /dev/full: No space left on device");
        inputError(CliRun.run("check", obj, "-o", "/dev/full"), "cannot write /dev/full: No space left on device");
    }

    @Test
    void outOfRangeOptionValuesAreUsageErrors() {
        Path obj = Hvprobe.sample("x86_64/gcc/O2/detect-port.o");
        usageError(CliRun.run("trace", obj, "-f", "hv_detect", "--limit", "0"),
                "--limit must be at least 1 (got 0); leave it out to trace until the call ends");
        usageError(CliRun.run("trace", obj, "-f", "hv_detect", "--limit", "-3"),
                "--limit must be at least 1 (got -3); leave it out to trace until the call ends");
        usageError(CliRun.run("check", obj, "--jobs", "0"), "--jobs must be 1..64");
        usageError(CliRun.run("run", obj, "-f", "hv_detect", "--color", "blue"),
                "Invalid value for option '--color': expected one of [auto, always, never] (case-sensitive) but was"
                        + " 'blue'");
        usageError(CliRun.run("run", obj, "-f", "hv_detect", "--arg", "0x1ffffffffffffffff"),
                "--arg '0x1ffffffffffffffff' does not fit in 64 bits");
        usageError(CliRun.run("trace", obj, "-f", "hv_detect", "--arg", "1", "--arg", "2", "--arg", "3", "--arg", "4",
                "--arg", "5", "--arg", "6", "--arg", "7", "--arg", "8", "--arg", "9"), "at most 8 --arg values (got 9)");
        usageError(CliRun.run("trace", obj, "-f", "hv_detect", "--regs", "some"),
                "Invalid value for option '--regs': expected one of [changed, all] (case-sensitive) but was 'some'");
        usageError(CliRun.run("compare", obj, "-f", "hv_detect"), "give exactly two --function options (got 1)");
    }

    @Test
    void usageErrorsExitTwo() {
        Result r = CliRun.run("check", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "--format", "xml");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Invalid value for option '--format': expected one of [text, json, sarif, junit, html]"
                + " (case-sensitive) but was 'xml'");
        assertThat(CliRun.run("run", "x.o").exit()).isEqualTo(2);
        assertThat(CliRun.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect", "--arg",
                "twelve").exit()).isEqualTo(2);
        assertThat(CliRun.run().exit()).isEqualTo(2);
    }
}
