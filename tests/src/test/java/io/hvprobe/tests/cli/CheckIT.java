package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code hvprobe check} over a small copy of the sample matrix, in every report format. The copy is
 * {@code matrix/} in this fork's working directory, so the reports name objects as a user's relative paths. Runs
 * that differ only in the report's format or settings share one check ({@link CliRun#runSharingCheck}).
 */
@Tag(CliRun.IN_WORKING_DIRECTORY)
class CheckIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OBJECTS = List.of("x86_64/gcc/O2/detect-port.o", "x86_64/gcc/O2/clock-vmcall.o",
            "x86_64/clang/Os/bugs-port.o", "x86_64/gcc/kernel/rpc-port.o", "arm64/gcc/O2/detect-mrs.o",
            "arm64/clang/O2/vmmouse-hvc.o");

    /** Scratch files named by absolute paths: reports written with {@code -o}, objects compiled here. */
    @TempDir
    Path dir;
    Path tree;

    @BeforeEach
    void copySamples() throws Exception {
        tree = CliRun.freshDirectory("matrix");
        for (String rel : OBJECTS) {
            Path to = tree.resolve(rel);
            Files.createDirectories(to.getParent());
            Files.copy(Hvprobe.sample(rel), to);
        }
        // Not ELF: skipped silently inside a directory.
        Files.writeString(tree.resolve("x86_64/README.txt"), "not an object", StandardCharsets.UTF_8);
    }

    @Test
    void jsonReportCoversEveryObjectWithVariantLabelsAndTheSeededBugsFail() throws Exception {
        Result r = CliRun.runSharingCheck("check", "matrix", "--format", "json", "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        JsonNode root = JSON.readTree(r.out());
        Set<String> objects = new HashSet<>();
        root.get("results").forEach(n -> objects.add(n.get("object").asText()));
        assertThat(objects).containsExactlyInAnyOrderElementsOf(OBJECTS.stream().map(o -> "matrix/" + o).toList());
        root.get("results").forEach(n -> assertThat(n.get("object").asText())
                .startsWith("matrix/" + n.get("variant").asText() + "/"));
        assertThat(root.get("summary").get("byRule").get("vmware.magic-wrong").asInt()).isPositive();
        assertThat(root.get("summary").get("hypercalls").asLong()).isPositive();
    }

    @Test
    void aSharedCheckWritesWhatItsOwnRunWould() {
        // The SARIF report from the check the other formats share, and from a run of its own.
        Result shared = CliRun.runSharingCheck("check", "matrix", "--format", "sarif", "-q");
        Result own = CliRun.run("check", "matrix", "--format", "sarif", "-q");
        assertThat(shared).isEqualTo(own);
        assertThat(shared.out()).contains("matrix/x86_64/clang/Os/bugs-port.o");
    }

    @Test
    void aSharedCheckOfAChangedObjectIsMadeAgain() throws Exception {
        Path object = CliRun.freshDirectory("changing").resolve("object.o");
        Files.copy(Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), object);
        Result before = CliRun.runSharingCheck("check", "changing", "--format", "json", "-q");
        Files.copy(Hvprobe.sample("x86_64/clang/Os/bugs-port.o"), object, StandardCopyOption.REPLACE_EXISTING);
        Result after = CliRun.runSharingCheck("check", "changing", "--format", "json", "-q");
        assertThat(before.exit()).as(before.toString()).isZero();
        assertThat(after.exit()).as(after.toString()).isEqualTo(1);
        assertThat(after.out()).contains("bug_magic_byteswapped").isNotEqualTo(before.out());
    }

    @Test
    void parallelJobsGiveTheSameReportAsASerialRun() {
        Result serial = CliRun.runSharingCheck("check", "matrix", "--format", "json", "-q"); // one job by default
        Result parallel = CliRun.run("check", "matrix", "--format", "json", "--jobs", "3", "-q");
        assertThat(parallel.out()).isEqualTo(serial.out());
        assertThat(parallel.exit()).isEqualTo(serial.exit());
    }

    @Test
    void sarifHasThe210StructureWithRulesResultsAndLocations() throws Exception {
        Path out = dir.resolve("r.sarif");
        Result r = CliRun.run("check", "matrix/x86_64/clang", "--format", "sarif", "-o", out, "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        JsonNode s = JSON.readTree(out.toFile());
        assertThat(s.get("version").asText()).isEqualTo("2.1.0");
        assertThat(s.get("$schema").asText()).contains("sarif");
        JsonNode run = s.get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("name").asText()).isEqualTo("hvprobe");
        JsonNode rules = run.get("tool").get("driver").get("rules");
        assertThat(rules.size()).isPositive();
        assertThat(run.get("results").size()).isPositive();
        for (JsonNode res : run.get("results")) {
            assertThat(res.get("ruleId").asText()).isNotEmpty();
            assertThat(rules.get(res.get("ruleIndex").asInt()).get("id").asText()).isEqualTo(res.get("ruleId").asText());
            assertThat(res.get("level").asText()).isIn("error", "warning", "note");
            assertThat(res.get("message").get("text").asText()).isNotEmpty();
            assertThat(res.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText())
                    .isEqualTo("matrix/x86_64/clang/Os/bugs-port.o");
            assertThat(res.get("properties").get("variant").asText()).isEqualTo("Os");
        }
    }

    @Test
    void junitXmlParsesWithATestCasePerFunctionAndFailuresForErrors() throws Exception {
        Result r = CliRun.runSharingCheck("check", "matrix", "--format", "junit", "-q");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
        Element suites = doc.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        NodeList cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(Integer.parseInt(suites.getAttribute("tests"))).isPositive();
        assertThat(doc.getElementsByTagName("failure").getLength())
                .isEqualTo(Integer.parseInt(suites.getAttribute("failures"))).isPositive();
        assertThat(doc.getElementsByTagName("testsuite").getLength()).isEqualTo(OBJECTS.size());
    }

    @Test
    void textEndsWithTheSummaryTableAndFailOnNeverExitsZero() {
        Result r = CliRun.runSharingCheck("check", "matrix", "--fail-on", "never", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("matrix/x86_64/clang/Os/bugs-port.o:bug_magic_byteswapped+0x")
                .contains("\nsummary\n").contains("  objects          6\n").contains("  findings by rule\n")
                .containsPattern("vmware\\.magic-wrong +1\\n");
    }

    @Test
    void cleanObjectsExitZeroAndProgressLinesGoToStderr() {
        Result r = CliRun.run("check", "matrix/x86_64/gcc/O2/detect-port.o", "matrix/arm64/gcc/O2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("objects          2").doesNotContain("error:");
        assertThat(r.err()).isEqualTo("checked 2/2 objects\n");
    }

    @Test
    void severalProfilesEachNameTheirProfileAndSuppressionsDropRules() throws Exception {
        Result r = CliRun.run("check", "matrix/x86_64/gcc/O2/clock-vmcall.o", "--profile", "vmware",
                "--profile", "qemu-vmport", "--format", "json", "--fail-on", "never");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode root = JSON.readTree(r.out());
        Set<String> profiles = new HashSet<>();
        root.get("results").forEach(n -> profiles.add(n.get("profile").asText()));
        assertThat(profiles).containsExactlyInAnyOrder("vmware", "qemu-vmport");
        root.get("results").forEach(n -> n.get("findings").forEach(f ->
                assertThat(f.get("profile").asText()).isEqualTo(n.get("profile").asText())));
        assertThat(root.get("summary").get("findings").asInt()).isPositive();

        Result quiet = CliRun.run("check", "matrix/x86_64/gcc/O2/clock-vmcall.o", "--profile", "vmware",
                "--profile", "qemu-vmport", "--format", "json", "--fail-on", "never",
                "--suppress", "hvprobe.redundant-save", "--suppress", "vmware.hypercall-not-advertised",
                "--suppress", "hvprobe.undefined-consumed", "--suppress", "hvprobe.unhandled-trap",
                "--suppress", "hvprobe.fault");
        JsonNode q = JSON.readTree(quiet.out());
        q.get("results").forEach(n -> n.get("findings").forEach(f -> assertThat(f.get("rule").asText())
                .isNotIn("hvprobe.redundant-save", "vmware.hypercall-not-advertised")));
        assertThat(q.get("summary").get("findings").asInt()).isLessThan(root.get("summary").get("findings").asInt());
    }

    @Test
    void anExplicitNonElfFileIsAnInputError() throws Exception {
        Result r = CliRun.run("check", "matrix/x86_64/README.txt");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.errLines()).containsExactly("hvprobe: matrix/x86_64/README.txt: not an ELF file (no \\x7fELF magic)");
    }

    @Test
    void theManifestRunsItsScenariosAndAccountsForTheSeededBugs() {
        Path manifest = Path.of(System.getProperty("hvprobe.samples.dir", "../firmware-samples"))
                .resolve("manifest.yaml").toAbsolutePath();
        Result r = CliRun.runSharingCheck("check", "matrix", "--manifest", manifest, "--fail-on", "never", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\nsummary\n").contains("  objects          6\n")
                .containsPattern("  scenarios        (\\d+) \\(\\1 passed, 0 failed\\)\n")
                .containsPattern("  seeded bugs      ([1-9]\\d*) found of \\1 expected\n");
        Result failing = CliRun.runSharingCheck("check", "matrix", "--manifest", manifest, "-q", "--format", "json");
        assertThat(failing.exit()).as("seeded bugs are error findings").isEqualTo(1);
    }

    @Test
    void failOnDecidesWhetherWarningsFail() throws Exception {
        // An 8-bit IN on the backdoor port is not a backdoor call: a warning whatever the arguments.
        Path obj = Hvprobe.compile(dir, "warn.o", """
                unsigned char byte_from_backdoor_port(void) {
                    unsigned char a;
                    __asm__ volatile("inb %%dx, %%al" : "=a"(a) : "d"(0x5658) : "memory");
                    return a;
                }
                """, "gcc");
        Result r = CliRun.run("check", obj, "--format", "json", "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode f = JSON.readTree(r.out()).get("results").get(0).get("findings").get(0);
        assertThat(f.get("rule").asText()).isEqualTo("vmware.io-size");
        assertThat(f.get("severity").asText()).isEqualTo("warning");
        assertThat(CliRun.run("check", obj, "--fail-on", "warning", "-q").exit()).isEqualTo(1);
        assertThat(CliRun.run("check", obj, "--fail-on", "never", "-q").exit()).isZero();
    }

    @Test
    void aBudgetOverrunWithInventedArgumentsIsANoteThatSaysSo() throws Exception {
        // A trap, then a loop: where a synthetic call goes follows from its invented arguments.
        Path obj = Hvprobe.compile(dir, "spin.o", """
                int spin_after_version(void) {
                    unsigned a = 0x564D5868, b = 0, c = 10, d = 0x5658;
                    __asm__ volatile("inl %%dx, %%eax" : "+a"(a), "+b"(b), "+c"(c), "+d"(d) :: "memory");
                    for (unsigned i = 0;; i++) __asm__ volatile("" : "+r"(i));
                    return a;
                }
                """, "gcc");
        Result r = CliRun.run("check", obj, "--format", "json", "-q", "--fail-on", "warning");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode f = JSON.readTree(r.out()).get("results").get(0).get("findings").get(0);
        assertThat(f.get("rule").asText()).isEqualTo("hvprobe.budget");
        assertThat(f.get("severity").asText()).isEqualTo("note");
        assertThat(f.get("message").asText()).contains("the run's arguments and memory are invented");
        assertThat(f.get("evidence").get("reported-as").asText()).isEqualTo("error with real inputs");
    }

    @Test
    void aLoopBackToTheSameStateIsANoteThatItDoesNotTerminateOnInventedInputs() throws Exception {
        Path obj = Hvprobe.compile(dir, "stuck.o", """
                int stuck_after_version(void) {
                    unsigned a = 0x564D5868, b = 0, c = 10, d = 0x5658;
                    __asm__ volatile("inl %%dx, %%eax" : "+a"(a), "+b"(b), "+c"(c), "+d"(d) :: "memory");
                    for (;;) __asm__ volatile("");
                    return a;
                }
                """, "gcc");
        Result r = CliRun.run("check", obj, "--format", "json", "-q", "--fail-on", "warning");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode result = JSON.readTree(r.out()).get("results").get(0);
        JsonNode f = result.get("findings").get(0);
        assertThat(f.get("rule").asText()).isEqualTo("hvprobe.endless-loop");
        assertThat(f.get("severity").asText()).isEqualTo("note");
        assertThat(f.get("message").asText()).contains("the call never ends")
                .contains("the run's arguments and memory are invented");
        assertThat(result.get("instructions").asLong()).isLessThan(100_000);
    }

    @Test
    void parallelSarifAndJunitAreIdenticalToSerial() {
        for (String format : List.of("sarif", "junit")) {
            Result serial = CliRun.runSharingCheck("check", "matrix", "--format", format, "-q", "--profile",
                    "vmware", "--profile", "qemu-vmport");
            Result parallel = CliRun.runSharingCheck("check", "matrix", "--format", format, "-q", "--jobs", "2",
                    "--profile", "vmware", "--profile", "qemu-vmport");
            assertThat(serial.exit()).as(serial.toString()).isEqualTo(1);
            assertThat(parallel.out()).as(format).isEqualTo(serial.out()).isNotEmpty();
        }
    }
}
