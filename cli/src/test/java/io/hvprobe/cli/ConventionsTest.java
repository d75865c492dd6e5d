package io.hvprobe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Command-line conventions checked in-process: option validation, output targets, help colour. */
class ConventionsTest {
    @TempDir
    Path dir;

    private record Outcome(int exit, String err) {
    }

    private static Outcome execute(String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return new Outcome(cl.execute(args), err.toString());
    }

    @Test
    void anUnknownColorIsAUsageError() {
        Outcome o = execute("commands", "--color", "blue");
        assertThat(o.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(o.err()).startsWith("hvprobe: Invalid value for option '--color': expected one of"
                + " [auto, always, never] (case-sensitive) but was 'blue'\n");
        assertThat(execute("commands", "--color", "never").exit()).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void colorOnTheCommandLineDecidesTheHelpColours() {
        assertThat(Colors.scheme("run", "--help", "--color", "never").ansi()).isEqualTo(CommandLine.Help.Ansi.OFF);
        assertThat(Colors.scheme("run", "--color=always", "--help").ansi()).isEqualTo(CommandLine.Help.Ansi.ON);
        assertThat(Colors.scheme("run", "--", "--color=always").ansi()).isNotEqualTo(CommandLine.Help.Ansi.ON);
    }

    @Test
    void traceLimitAndCheckJobsOutOfRangeAreUsageErrors() {
        assertThat(execute("trace", "x.o", "-f", "f", "--limit", "0").err())
                .startsWith("hvprobe: --limit must be at least 1 (got 0)");
        assertThat(execute("trace", "x.o", "-f", "f", "--limit", "-5").exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(execute("check", "x.o", "--jobs", "0").err()).startsWith("hvprobe: --jobs must be 1..64");
    }

    @Test
    void anOutputPathThatCannotBeWrittenIsRefusedBeforeAnyWork() throws Exception {
        assertThatThrownBy(() -> OutputTarget.requireWritable(dir.resolve("no/such/r.sarif").toString()))
                .isInstanceOf(InputError.class).hasMessageContaining("no such directory " + dir.resolve("no/such"));
        assertThatThrownBy(() -> OutputTarget.requireWritable(dir.toString()))
                .isInstanceOf(InputError.class).hasMessage("cannot write " + dir + ": it is a directory");
        OutputTarget.requireWritable(dir.resolve("fresh.txt").toString());
        OutputTarget.requireWritable(null);
        OutputTarget.requireWritable("-");
        assertThat(Files.exists(dir.resolve("fresh.txt"))).as("checking must not create the file").isFalse();
    }
}
