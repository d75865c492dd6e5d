package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.dwarf.SourceOracle;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.trap.TrapSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sample matrix's debug-info cells ({@code O2-dwarf4}, {@code O2-dwarf5}; gcc and clang; x86_64 and arm64):
 * every finding {@code hvprobe check} reports there, and every trap site, has the source line and inline chain
 * that {@code addr2line -f -i} gives for the same address (llvm-addr2line where binutils 2.40 drops clang's
 * {@code DW_FORM_rnglistx} inline ranges). Every address is compared, none sampled. The command line runs
 * in-process with matrix-relative paths ({@link CliRun#workingDirectory()}).
 */
@Tag(CliRun.IN_WORKING_DIRECTORY)
class SourceLinesIT {
    @BeforeAll
    static void inTheMatrix() {
        CliRun.workingDirectory();
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x86_64/gcc/O2-dwarf4", "x86_64/gcc/O2-dwarf5", "x86_64/clang/O2-dwarf4",
            "x86_64/clang/O2-dwarf5", "arm64/gcc/O2-dwarf4", "arm64/gcc/O2-dwarf5", "arm64/clang/O2-dwarf4",
            "arm64/clang/O2-dwarf5"})
    void everyFindingAndTrapSiteHasAddr2linesSourceLine(String cell) throws Exception {
        Path dir = Hvprobe.matrix().resolve(cell);
        Hvprobe.Result r = CliRun.run("check", cell, "--format", "json", "-q");
        assertThat(r.exit()).as(r.toString()).isIn(0, 1);
        // Guest addresses to compare, per object: each finding's and each trap site's.
        Map<String, TreeSet<String>> findings = new TreeMap<>();
        for (JsonNode result : JSON.readTree(r.out()).get("results")) {
            for (JsonNode f : result.get("findings")) {
                findings.computeIfAbsent(f.get("object").asText(), k -> new TreeSet<>())
                        .add(f.get("function").asText() + "+" + f.get("offset").asLong());
            }
        }
        int findingCount = 0;
        int siteCount = 0;
        int byLlvm = 0;
        List<String> mismatches = new ArrayList<>();
        List<Path> objects;
        try (Stream<Path> s = Files.list(dir)) {
            objects = s.filter(p -> p.toString().endsWith(".o")).sorted().toList();
        }
        assertThat(objects).hasSizeGreaterThanOrEqualTo(9);
        for (Path object : objects) {
            try (Probe probe = Probe.open(object, ProbeOptions.defaults())) {
                GuestImage image = probe.image();
                assertThat(image.debug().info().isPresent()).as(image.debug().info().summary()).isTrue();
                TreeSet<Long> addresses = new TreeSet<>();
                for (TrapSite t : probe.sites()) {
                    addresses.add(t.address());
                    siteCount++;
                }
                for (String at : findings.getOrDefault(cell + "/" + object.getFileName(), new TreeSet<>())) {
                    int plus = at.lastIndexOf('+');
                    String function = at.substring(0, plus);
                    long offset = Long.parseLong(at.substring(plus + 1));
                    addresses.add(function.isEmpty() ? offset : image.symbol(function).orElseThrow().address()
                            + offset);
                    findingCount++;
                }
                if (addresses.isEmpty()) {
                    continue;
                }
                for (long a : addresses) {
                    assertThat(image.source(a)).as("%s %s", object, image.symbolize(a)).isPresent();
                }
                SourceOracle.Result result = SourceOracle.compare(object, image, List.copyOf(addresses));
                mismatches.addAll(result.mismatches().stream().map(m -> object.getFileName() + " " + m).toList());
                byLlvm += result.byLlvm();
            }
        }
        System.out.printf("source lines %s: %d findings, %d trap sites; %d addresses settled by llvm-addr2line%n",
                cell, findingCount, siteCount, byLlvm);
        assertThat(siteCount).as("trap sites in " + cell).isPositive();
        assertThat(mismatches).as("%s: %d findings, %d trap sites", cell, findingCount, siteCount).isEmpty();
        assertThat(findingCount).as("findings of check in " + cell).isPositive();
    }

    @org.junit.jupiter.api.Test
    void disasmInterleavesTheInlineChainWhereTheSourceLineChanges() {
        Hvprobe.Result r = CliRun.run("disasm", "x86_64/gcc/O2-dwarf5/bugs-port.o", "--source",
                "-f", "bug_balloon_assumes_esi_kept");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("  ; \\S*bugs_x86_64\\.c:\\d+:\\d+ \\(balloon_esi_kept\\), inlined into "
                + "\\S*bugs_x86_64\\.c:\\d+:\\d+ \\(bug_balloon_assumes_esi_kept\\).*"));
        assertThat(lines.get(1)).startsWith("  ; ").contains("bugs_x86_64.c:");
        Hvprobe.Result plain = CliRun.run("disasm", "x86_64/gcc/O2-dwarf5/bugs-port.o", "-f",
                "bug_balloon_assumes_esi_kept");
        assertThat(plain.out()).doesNotContain("bugs_x86_64.c:");
        assertThat(r.out().lines().filter(l -> !l.startsWith("  ; ")).toList()).isEqualTo(plain.out().lines().toList());
    }

    @org.junit.jupiter.api.Test
    void findingsOfADebugObjectAreGccDiagnosticsAtTheirSourceLineWithTheInlineChain() {
        Hvprobe.Result r = CliRun.run("check", "x86_64/gcc/O2-dwarf5/bugs-port.o", "--fail-on",
                "never");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines().findFirst().orElseThrow())
                .matches("\\S*/bugs_x86_64\\.c:\\d+:\\d+: (error|warning|note): .* \\[[a-z.\\-]+\\]");
        assertThat(r.out()).containsPattern("bugs_x86_64\\.c:\\d+:\\d+: note: balloon_esi_kept inlined into"
                + " bug_balloon_assumes_esi_kept here\n  at x86_64/gcc/O2-dwarf5/bugs-port.o:bug_balloon_assumes_esi_kept\\+0x");
    }

    @org.junit.jupiter.api.Test
    void disasmWithoutDebugInformationSaysWhy() {
        Hvprobe.Result r = CliRun.run("disasm", "x86_64/gcc/O2/detect-port.o", "--source", "-f",
                "hv_detect", "--debug-root", "/nonexistent");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).isEqualTo("hvprobe: x86_64/gcc/O2/detect-port.o: no debug information and no build-id to find a"
                + " debug file by\n");
    }

    @org.junit.jupiter.api.Test
    void traceShowsSourceLinesInTextAndJsonl() throws Exception {
        Hvprobe.Result text = CliRun.run("trace", "x86_64/gcc/O2-dwarf5/detect-port.o", "-f",
                "hv_detect", "--source");
        assertThat(text.exit()).as(text.toString()).isZero();
        assertThat(text.out().lines().findFirst().orElseThrow()).endsWith("; source lines");
        assertThat(text.out()).containsPattern("(?m)^# source: detect\\.c:\\d+(:\\d+)? in hv_detect$");
        Hvprobe.Result jsonl = CliRun.run("trace", "x86_64/gcc/O2-dwarf5/detect-port.o", "-f",
                "hv_detect", "--source", "--format", "jsonl");
        assertThat(jsonl.exit()).as(jsonl.toString()).isZero();
        int withSource = 0;
        for (String line : jsonl.out().lines().toList()) {
            JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals("insn") && n.has("source")) {
                withSource++;
                assertThat(n.get("source").get("file").asText()).matches("/.*\\.[ch]");
                assertThat(n.get("source").get("line").asInt()).isPositive();
                assertThat(n.get("source").get("inlinedFrom").isArray()).isTrue();
            }
        }
        assertThat(withSource).isPositive();
    }
}
