package io.hvprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check} of a directory with a truncated object checks the rest and reports one error entry for it. */
class CheckUnloadableTest {
    @TempDir
    Path dir;
    private Path truncated;

    /** Runs {@code hvprobe ARGS -o FILE}; the outcome's {@code out} is what it wrote to FILE. */
    private CliOutcome execute(String... args) throws Exception {
        return CliOutcome.toFile(dir, args);
    }

    /** A gcc object with one backdoor IN and a copy of it cut after its ELF header and a few bytes more. */
    @BeforeEach
    void objects() throws Exception {
        Path src = dir.resolve("probe.c");
        Files.writeString(src, """
                unsigned probe(void) {
                    unsigned eax = 0x564d5868, ebx = ~0u, ecx = 10, edx = 0x5658;
                    __asm__ volatile("inl %%dx, %%eax" : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx));
                    return ebx;
                }
                """);
        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Path good = tree.resolve("probe.o");
        Gcc.build(src, good, "-O2", "-c");
        truncated = tree.resolve("cut.o");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(good), 200));
    }

    @Test
    void everyFormatHasOneEntryNamedByPathAndTheExitStatusCountsIt() throws Exception {
        String tree = dir.resolve("tree").toString();
        CliOutcome text = execute("check", tree, "-q");
        assertThat(text.exit()).as(text.err()).isEqualTo(Main.EXIT_FINDINGS);
        assertThat(text.out()).contains(truncated + ":0x0: error: " + truncated + ": ")
                .contains("[hvprobe.load-failed]").contains("  objects          1 (and 1 not loaded)\n")
                .contains("  functions        1\n");

        JsonNode json = new ObjectMapper().readTree(execute("check", tree, "-q", "--format", "json").out());
        assertThat(json.get("summary").get("byRule").get("hvprobe.load-failed").asInt()).isEqualTo(1);
        assertThat(json.findValues("object").stream().map(JsonNode::asText))
                .contains(truncated.toString(), dir.resolve("tree/sub/probe.o").toString());

        String sarif = execute("check", tree, "-q", "--format", "sarif").out();
        JsonNode results = new ObjectMapper().readTree(sarif).get("runs").get(0).get("results");
        assertThat(results.findValues("ruleId").stream().map(JsonNode::asText).filter("hvprobe.load-failed"::equals))
                .hasSize(1);

        String junit = execute("check", tree, "-q", "--format", "junit").out();
        assertThat(junit).contains("<testsuite name=\"" + truncated + " [sub]\" tests=\"1\" failures=\"1\"")
                .contains("type=\"hvprobe.load-failed\"");

        CliOutcome lenient = execute("check", tree, "-q", "--fail-on", "never");
        assertThat(lenient.exit()).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void whenNoObjectLoadsTheCheckIsAnInputError() throws Exception {
        CliOutcome o = execute("check", truncated.toString());
        assertThat(o.exit()).isEqualTo(Main.EXIT_INPUT);
        assertThat(o.err()).startsWith("hvprobe: " + truncated + ": ").doesNotContain("\n\n");
        assertThat(o.out()).isEmpty();
    }

    /** Runs {@code hvprobe ARGS}; its standard output is the outcome's {@code out}. */
    private static CliOutcome listing(String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliOutcome(exit, out.toString(), err.toString());
    }

    @Test
    void scanOfTheTreeListsTheOtherObjectsAndOneErrorEntry() throws Exception {
        String tree = dir.resolve("tree").toString();
        CliOutcome text = listing("scan", tree, "--color", "never");
        assertThat(text.exit()).as(text.err()).isEqualTo(Main.EXIT_INPUT);
        assertThat(text.out()).contains(truncated + ": error: " + truncated + ": ")
                .contains(dir.resolve("tree/sub/probe.o") + " (x86_64): 1 trap site");

        JsonNode json = new ObjectMapper().readTree(listing("scan", tree, "--format", "json").out());
        assertThat(json.get("objects")).hasSize(2);
        assertThat(json.get("objects").findValues("error")).singleElement()
                .satisfies(e -> assertThat(e.asText()).startsWith(truncated + ": "));
    }
}
