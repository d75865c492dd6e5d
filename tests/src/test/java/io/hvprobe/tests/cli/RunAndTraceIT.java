package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code hvprobe run} and {@code hvprobe trace}. */
class RunAndTraceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void runPrintsTheDecodedHypercallLogAndTheReturnValue() {
        Result r = CliRun.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "--function", "hv_detect");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("GETVERSION via IN at hv_detect+0x")
                .contains("in:      rax=0x564d5868")
                .containsPattern("changed: rax=0x6 rbx=0x564d5868")
                .contains("return: 0x6 (6)").contains("findings: none");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void runJsonIsOneObjectWithReturnHypercallsAndFindings() throws Exception {
        Result r = CliRun.run("run", Hvprobe.sample("arm64/gcc/O2/detect-mrs.o"), "-f", "hv_detect",
                "--format", "json", "--variant", "mrs");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("function").asText()).isEqualTo("hv_detect");
        assertThat(root.get("arch").asText()).isEqualTo("arm64");
        assertThat(root.get("variant").asText()).isEqualTo("mrs");
        assertThat(root.get("return").isIntegralNumber()).isTrue();
        assertThat(root.get("return").asLong()).isEqualTo(6);
        JsonNode getVersion = root.get("hypercalls").get(root.get("hypercalls").size() - 1);
        assertThat(getVersion.get("command").asText()).isEqualTo("GETVERSION");
        assertThat(getVersion.get("form").asText()).isEqualTo("MRS");
        assertThat(getVersion.get("inputs").get("x0").asText()).isEqualTo("0x564d5868");
        assertThat(root.get("findings").isArray()).isTrue();
    }

    @Test
    void returnValuesAbove2To63AreUnsignedJsonNumbersAndArgumentsAcceptNegativeHexAndBuffers() throws Exception {
        Path obj = Hvprobe.compile(dir, "args.o", """
                long echo(long x) { return x; }
                int fill(char *out, long n) { for (long i = 0; i < n; i++) out[i] = 'a' + i; return (int)n; }
                """, "gcc");
        JsonNode neg = JSON.readTree(CliRun.run("run", obj, "-f", "echo", "--arg", "-2", "--format", "json").out());
        assertThat(new BigInteger(neg.get("return").toString())).isEqualTo(new BigInteger("18446744073709551614"));
        JsonNode hex = JSON.readTree(CliRun.run("run", obj, "-f", "echo", "--arg", "0x564D5868", "--format",
                "json").out());
        assertThat(hex.get("return").asLong()).isEqualTo(0x564D5868L);
        Result buf = CliRun.run("run", obj, "-f", "fill", "--arg", "buf:8", "--arg", "5");
        assertThat(buf.exit()).as(buf.toString()).isZero();
        assertThat(buf.out()).contains("return: 0x5 (5)").contains("buffer arg 0 after: \"abcde\"");
    }

    @Test
    void aVariantThatContradictsTheTrapFormsIsAUsageError() {
        Result r = CliRun.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect",
                "--variant", "vmcall");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--variant vmcall").contains("IN");
    }

    @Test
    void tracesAreByteIdenticalAcrossRunsAndCarryTheHypercallRecords() throws Exception {
        Path obj = Hvprobe.sample("x86_64/clang/O2/rpc-port.o");
        Path a = dir.resolve("a.txt");
        Path b = dir.resolve("b.txt");
        Result first = CliRun.run("trace", obj, "-f", "rpc_open_close", "--mem", "-o", a);
        Result second = CliRun.run("trace", obj, "-f", "rpc_open_close", "--mem", "-o", b);
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(second.exit()).isZero();
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        String text = Files.readString(a);
        assertThat(text).startsWith("# hvprobe trace: rpc_open_close").contains(">> hypercall 0: MESSAGE.OPEN via IN")
                .contains("<< hypercall 0: MESSAGE.OPEN").contains("<< hypercall 1: MESSAGE.CLOSE").containsPattern("\\[0x[0-9a-f]+:8\\]=0x");
        assertThat(text.lines().toList().getLast()).startsWith("# end: returned ");
    }

    @Test
    void jsonlTracesParseLineByLineAndTheLimitStopsCleanly() throws Exception {
        Result r = CliRun.run("trace", Hvprobe.sample("arm64/clang/O2/rpc-hvc.o"), "-f", "rpc_open_close",
                "--format", "jsonl", "--regs", "all", "--limit", "12");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : r.out().split("\n")) {
            lines.add(JSON.readTree(l));
        }
        assertThat(lines.getFirst().get("type").asText()).isEqualTo("start");
        assertThat(lines.stream().filter(n -> n.get("type").asText().equals("insn"))).hasSize(12)
                .allSatisfy(n -> assertThat(n.get("regs").size()).isEqualTo(33));
        assertThat(lines.getLast().get("status").asText()).isEqualTo("limit");
        assertThat(lines.getLast().get("instructions").asLong()).isEqualTo(12);

        Result only = CliRun.run("trace", Hvprobe.sample("arm64/clang/O2/rpc-hvc.o"), "-f", "rpc_open_close",
                "--hypercalls-only");
        assertThat(only.out().lines().filter(l -> !l.startsWith("#")))
                .allMatch(l -> l.startsWith("        >> hypercall") || l.startsWith("        << hypercall"))
                .anyMatch(l -> l.contains("MESSAGE.CLOSE via HVC"));
    }

    private static final String HOSTILE = """
            int load_null(void) { return *(volatile int *)0x8; }
            void spin(void) { for (unsigned long i = 0;; i++) __asm__ volatile("" : "+r"(i)); }
            """;

    /** Everything JSON in {@code text}: exactly one value must be there. */
    private static JsonNode onlyJsonValue(String text) throws Exception {
        List<JsonNode> values = new ArrayList<>();
        try (var it = JSON.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            it.forEachRemaining(values::add);
        }
        assertThat(values).as(text).hasSize(1);
        return values.getFirst();
    }

    @Test
    void runJsonIsExactlyOneObjectAndAFaultIsAFindingWithANullReturn() throws Exception {
        Path obj = Hvprobe.compile(dir, "hostile.o", HOSTILE, "gcc");
        Result r = CliRun.run("run", obj, "-f", "load_null", "--format", "json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        JsonNode root = onlyJsonValue(r.out());
        assertThat(root.get("returned").asBoolean()).isFalse();
        assertThat(root.get("return").isNull()).isTrue();
        assertThat(root.get("fault").get("kind").asText()).isEqualTo("unmapped_access");
        assertThat(root.get("hypercalls").isArray()).isTrue();
        assertThat(root.get("findings").findValuesAsText("rule")).containsExactly("hvprobe.fault");
        assertThat(CliRun.run("run", obj, "-f", "load_null", "--fail-on", "never").exit()).isZero();
    }

    @Test
    void aFunctionThatNeverReturnsEndsWithABudgetFindingAndADeterministicTrace() throws Exception {
        Path obj = Hvprobe.compile(dir, "hostile.o", HOSTILE, "gcc");
        Result run = CliRun.run("run", obj, "-f", "spin");
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("[hvprobe.budget]");
        // Tracing is slower than running: the end must still come from the instruction budget, not the clock.
        Result first = CliRun.run("trace", obj, "-f", "spin", "--hypercalls-only");
        Result second = CliRun.run("trace", obj, "-f", "spin", "--hypercalls-only");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo(second.out());
        assertThat(first.out().lines().toList().getLast()).startsWith("# end: faulted: budget exhausted at spin")
                .endsWith(": instruction budget of 10000000 exhausted after 10000000 instructions, 0 hypercalls");
    }

    @Test
    void jsonlTracesAreByteIdenticalAndTheSameOnStdoutAndInAFile() throws Exception {
        Path obj = Hvprobe.sample("arm64/gcc/O2/rpc-mrs.o");
        Path file = dir.resolve("t.jsonl");
        Result toFile = CliRun.run("trace", obj, "-f", "rpc_open_close", "--format", "jsonl", "--mem", "-o", file);
        Result toStdout = CliRun.run("trace", obj, "-f", "rpc_open_close", "--format", "jsonl", "--mem");
        Result again = CliRun.run("trace", obj, "-f", "rpc_open_close", "--format", "jsonl", "--mem");
        assertThat(toFile.exit()).as(toFile.toString()).isZero();
        assertThat(toFile.err()).startsWith("hvprobe: traced ").contains(" to " + file);
        assertThat(toStdout.out()).isEqualTo(again.out()).isEqualTo(Files.readString(file)).isNotEmpty();
        assertThat(toStdout.out().lines().map(l -> {
            try {
                return JSON.readTree(l).get("type").asText();
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        })).contains("start", "entry", "insn", "hypercall", "end");
    }

    @Test
    void gccAndClangTracesOfTheSameWrapperDiffToTheSameHypercalls() {
        List<String> gcc = hypercallCommands(CliRun.run("trace", Hvprobe.sample("x86_64/gcc/O2/rpc-port.o"),
                "-f", "rpc_open_close"));
        List<String> clang = hypercallCommands(CliRun.run("trace", Hvprobe.sample("x86_64/clang/O2/rpc-port.o"),
                "-f", "rpc_open_close"));
        assertThat(gcc).containsExactly("MESSAGE.OPEN", "MESSAGE.CLOSE").isEqualTo(clang);
    }

    private static List<String> hypercallCommands(Result trace) {
        assertThat(trace.exit()).as(trace.toString()).isZero();
        return trace.out().lines().filter(l -> l.startsWith("        >> hypercall "))
                .map(l -> l.replaceFirst("^ +>> hypercall \\d+: (\\S+) via .*$", "$1")).toList();
    }

    @Test
    void regsAllPrintsEveryRegisterOnEveryInstruction() {
        Result r = CliRun.run("trace", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect", "--regs",
                "all");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> insns = r.out().lines().filter(l -> l.matches(" +\\d+  0x.*")).toList();
        assertThat(insns).hasSize(24).allSatisfy(l -> assertThat(l).contains(" rax=0x").contains(" r15=0x")
                .contains(" rflags=0x"));
    }
}
