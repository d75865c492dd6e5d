package io.hvprobe.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code run -o FILE} and {@code compare -o FILE}: in every format, the file holds what standard output would. */
class OutputFileTest {
    @TempDir
    static Path dir;
    private static Path object;

    /** Two GETVERSION wrappers: one asks with the magic, one leaves EAX 0 (a finding). */
    @BeforeAll
    static void compile() throws Exception {
        Path src = dir.resolve("getversion.c");
        Files.writeString(src, """
                static unsigned int ask(unsigned int magic) {
                    unsigned int a = magic, b = 0, c = 10, d = 0x5658;
                    __asm__ volatile("inl %%dx, %%eax" : "+a"(a), "+b"(b), "+c"(c), "+d"(d));
                    return a;
                }
                unsigned int version(void) { return ask(0x564D5868u); }
                unsigned int version_no_magic(void) { return ask(0); }
                """);
        object = dir.resolve("getversion.o");
        Gcc.build(src, object, "-O2", "-c", "-ffreestanding", "-fno-pic");
    }

    /** What one in-process command line printed and returned. */
    private record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "json", "html"})
    void runWritesToTheFileWhatItWouldPrint(String format) throws Exception {
        List<String> run = List.of("run", object.toString(), "-f", "version_no_magic", "--format", format);
        Run printed = cli(with(run));
        Path file = dir.resolve("run." + format);
        Run written = cli(with(run, "-o", file.toString()));

        assertThat(written.exit()).isEqualTo(printed.exit()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(written.out()).isEmpty();
        assertThat(written.err()).isEqualTo("hvprobe: wrote " + file + "\n");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(printed.out()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"text", "json", "html"})
    void compareWritesToTheFileWhatItWouldPrint(String format) throws Exception {
        List<String> compare = List.of("compare", object.toString(), "-f", "version", "-f", "version_no_magic",
                "--format", format);
        Run printed = cli(with(compare));
        Path file = dir.resolve("compare." + format);
        Run written = cli(with(compare, "--output", file.toString(), "-q"));

        assertThat(written.exit()).isEqualTo(printed.exit()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(written.out()).isEmpty();
        assertThat(written.err()).as("-q: no 'wrote' line").isEmpty();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(printed.out()).isNotBlank();
    }

    @Test
    void anOutputFileThatCannotBeWrittenIsOneInputErrorBeforeAnyRun() {
        Path missing = dir.resolve("no-such-dir").resolve("r.html");
        Run r = cli("compare", object.toString(), "-f", "version", "-f", "version_no_magic", "-o",
                missing.toString());

        assertThat(r.exit()).isEqualTo(Main.EXIT_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("hvprobe: cannot write " + missing + ": no such directory "
                + missing.getParent()).doesNotContain("\n");
        assertThat(cli("run", object.toString(), "-f", "version", "-o", dir.toString()).err().strip())
                .isEqualTo("hvprobe: cannot write " + dir + ": it is a directory");
    }
}
