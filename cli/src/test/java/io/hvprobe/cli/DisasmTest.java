package io.hvprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.run.SourceMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code disasm} of a whole object, as JSON, and with source lines from a source map. */
class DisasmTest {
    @TempDir
    Path dir;

    private Path object() throws Exception {
        Path c = Files.writeString(dir.resolve("two.c"), """
                int triple(int x) { return 3 * x + 1; }
                int twice(int x) { return triple(x) + triple(x + 1); }
                """);
        Path o = dir.resolve("two.o");
        Process p = new ProcessBuilder("gcc", "-O1", "-fno-inline", "-c", c.toString(), "-o", o.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("gcc: " + out).isZero();
        return o;
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run disasm(SourceMap map, String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        ((DisasmCommand) cl.getSubcommands().get("disasm").getCommand()).sourceMaps = (file, image) -> map;
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void withoutAFunctionEveryFunctionIsListed() throws Exception {
        Run r = disasm(SourceMap.NONE, "disasm", object().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("triple in ").contains("twice in ");
    }

    @Test
    void jsonHasEachFunctionsInstructions() throws Exception {
        Run r = disasm(SourceMap.NONE, "disasm", object().toString(), "--format", "json");
        JsonNode root = Json.MAPPER.readTree(r.out());
        assertThat(root.get("functions")).extracting(f -> f.get("name").asText()).containsExactly("triple", "twice");
        assertThat(root.at("/functions/1/instructions").toString()).contains("\"target\":\"triple\"");
    }

    @Test
    void sourceInterleavesEachNewLineWithItsText() throws Exception {
        Path src = Files.write(dir.resolve("two.c"), List.of("int triple(int x) { return 3 * x + 1; }",
                "int twice(int x) { return triple(x) + triple(x + 1); }"));
        Path obj = object();
        SourceMap map = address -> Optional.of(SourceLocation.of(src.toString(), address % 2 == 0 ? 1 : 2, 0, "f"));

        Run r = disasm(map, "disasm", obj.toString(), "-f", "twice", "--source");

        assertThat(r.out()).contains("  ; " + src + ":1 (f): int triple(int x) { return 3 * x + 1; }")
                .contains("  ; " + src + ":2 (f): int twice(int x)");
        assertThat(r.err()).isEmpty();
        // Without -g the reader says why there are no lines: no debug information, no build-id file either.
        assertThat(disasm(SourceMap.NONE, "disasm", obj.toString(), "--source").err())
                .isEqualTo("hvprobe: " + obj + ": no debug information and no build-id to find a debug file by\n");
    }
}
