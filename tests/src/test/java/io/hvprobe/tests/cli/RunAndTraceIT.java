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

/** {@code hvprobe run} and {@code hvprobe trace} through the launcher. */
class RunAndTraceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void runPrintsTheDecodedHypercallLogAndTheReturnValue() {
        Result r = Hvprobe.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "--function", "hv_detect");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("GETVERSION via IN at hv_detect+0x")
                .contains("in:      rax=0x564d5868")
                .containsPattern("changed: rax=0x6 rbx=0x564d5868")
                .contains("return: 0x6 (6)").contains("findings: none");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void runJsonIsOneObjectWithReturnHypercallsAndFindings() throws Exception {
        Result r = Hvprobe.run("run", Hvprobe.sample("arm64/gcc/O2/detect-mrs.o"), "-f", "hv_detect",
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
        JsonNode neg = JSON.readTree(Hvprobe.run("run", obj, "-f", "echo", "--arg", "-2", "--format", "json").out());
        assertThat(new BigInteger(neg.get("return").toString())).isEqualTo(new BigInteger("18446744073709551614"));
        JsonNode hex = JSON.readTree(Hvprobe.run("run", obj, "-f", "echo", "--arg", "0x564D5868", "--format",
                "json").out());
        assertThat(hex.get("return").asLong()).isEqualTo(0x564D5868L);
        Result buf = Hvprobe.run("run", obj, "-f", "fill", "--arg", "buf:8", "--arg", "5");
        assertThat(buf.exit()).as(buf.toString()).isZero();
        assertThat(buf.out()).contains("return: 0x5 (5)").contains("buffer arg 0 after: \"abcde\"");
    }

    @Test
    void aVariantThatContradictsTheTrapFormsIsAUsageError() {
        Result r = Hvprobe.run("run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect",
                "--variant", "vmcall");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--variant vmcall").contains("IN");
    }

    @Test
    void tracesAreByteIdenticalAcrossRunsAndCarryTheHypercallRecords() throws Exception {
        Path obj = Hvprobe.sample("x86_64/clang/O2/rpc-port.o");
        Path a = dir.resolve("a.txt");
        Path b = dir.resolve("b.txt");
        Result first = Hvprobe.run("trace", obj, "-f", "rpc_open_close", "--mem", "-o", a);
        Result second = Hvprobe.run("trace", obj, "-f", "rpc_open_close", "--mem", "-o", b);
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
        Result r = Hvprobe.run("trace", Hvprobe.sample("arm64/clang/O2/rpc-hvc.o"), "-f", "rpc_open_close",
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

        Result only = Hvprobe.run("trace", Hvprobe.sample("arm64/clang/O2/rpc-hvc.o"), "-f", "rpc_open_close",
                "--hypercalls-only");
        assertThat(only.out().lines().filter(l -> !l.startsWith("#")))
                .allMatch(l -> l.startsWith("        >> hypercall") || l.startsWith("        << hypercall"))
                .anyMatch(l -> l.contains("MESSAGE.CLOSE via HVC"));
    }
}
