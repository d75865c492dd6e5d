package io.hvprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.api.RunResult;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.guest.CallResult;
import io.hvprobe.run.HypercallLog;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON output says when it holds less than the run did: a cut hypercall list, a cost past the path cap. */
class TruncationTest {

    @Test
    void aHypercallListCutAtTheLogCapacityIsStated() {
        long made = HypercallLog.DEFAULT_CAPACITY + 20_000L;
        RunResult run = new RunResult("flood", new CallResult.Returned(0,
                RegisterSnapshot.of(Arch.X86_64, new long[Arch.X86_64.registers().size()]), List.of(), List.of()), List.of(), made,
                List.of());

        JsonNode n = Truncation.hypercalls(Json.object(), run);

        assertThat(n.get("hypercallsKept").asLong()).isZero();
        assertThat(n.get("hypercallsTruncated").asBoolean()).isTrue();
    }

    @Test
    void aCostPastThePathCapCountsEveryInstructionAndSaysWhatTheRestCovers(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("spin.c");
        // About 4 instructions per iteration: well past the 250,000 instructions the verifier records.
        Files.writeString(src, """
                unsigned long spin(void) {
                    unsigned long s = 0;
                    for (unsigned long i = 0; i < 200000; i++) {
                        __asm__ volatile("" : "+r"(s));
                        s += i;
                    }
                    return s;
                }
                """);
        Path obj = dir.resolve("spin.o");
        Gcc.build(src, obj, "-O1", "-c");

        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int exit = cl.execute("run", obj.toString(), "--function", "spin", "--format", "json");

        assertThat(exit).isEqualTo(Main.EXIT_OK);
        JsonNode root = new ObjectMapper().readTree(out.toString());
        assertThat(root.get("return").asLong()).isEqualTo(199_999L * 200_000 / 2);
        JsonNode cost = root.get("cost");
        assertThat(cost.get("instructions").asLong()).isGreaterThan(600_000);
        assertThat(cost.get("analysedInstructions").asLong()).isEqualTo(VerifyOptions.DEFAULT_MAX_PATH_LENGTH);
        assertThat(cost.get("complete").asBoolean()).isFalse();
        assertThat(root.get("hypercallsTruncated").asBoolean()).isFalse();
    }
}
