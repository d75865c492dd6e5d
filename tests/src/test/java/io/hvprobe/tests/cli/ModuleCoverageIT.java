package io.hvprobe.tests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code check} of Debian's own kernel modules (from {@code scripts/fetch-real-objects}) runs the module lifecycle,
 * forces paths to the hypercall sites the other runs missed, and says per site whether and how it was reached.
 */
class ModuleCoverageIT {
    /**
     * A module whose entry point makes its backdoor call only once {@code init_module} has set the module up; the
     * {@code INIT_RESULT} macro is what init returns (0: loaded; -19, ENODEV: the kernel refuses the module).
     */
    private static final String NEEDS_INIT = """
            static int ready;
            int init_module(void) { ready = 1; return INIT_RESULT; }
            unsigned int uses_what_init_set_up(void) {
                unsigned int eax = 0x564D5868, ebx = 0, ecx = 10, edx = 0x5658;
                if (!ready) return 0;
                __asm__ volatile("inl %%dx, %%eax" : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx));
                return ebx;
            }
            """;

    @TempDir
    Path dir;

    private static Path module(String name) {
        Path m = Path.of("../target/real-objects/amd64/modules", name).toAbsolutePath().normalize();
        assertThat(m).as("real kernel modules (run scripts/fetch-real-objects first)").isRegularFile();
        return m;
    }

    private static JsonNode check(String name) throws Exception {
        Hvprobe.Result r = CliRun.run("check", module(name), "--format", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static List<JsonNode> hypercallSites(JsonNode report) {
        List<JsonNode> out = new ArrayList<>();
        report.get("objects").get(0).get("trapSites").forEach(s -> {
            if (s.get("kind").asText().equals("hypercall")) {
                out.add(s);
            }
        });
        return out;
    }

    private static List<JsonNode> findings(JsonNode report) {
        List<JsonNode> out = new ArrayList<>();
        report.get("results").forEach(r -> r.get("findings").forEach(out::add));
        return out;
    }

    @Test
    void vmmouseReachesEveryHypercallSiteThroughLifecycleEntriesAndForcedPaths() throws Exception {
        JsonNode report = check("psmouse.ko");
        List<JsonNode> sites = hypercallSites(report);
        assertThat(sites).hasSize(18).allMatch(s -> s.get("reached").asBoolean());
        assertThat(sites).extracting(s -> s.get("how").asText()).contains("lifecycle", "entry", "forced");
        // vmmouse_detect checks the hypervisor type and a CPU feature (.altinstr_aux) before its backdoor call.
        JsonNode detect = sites.stream().filter(s -> s.get("location").asText().startsWith("vmmouse_detect+"))
                .findFirst().orElseThrow();
        assertThat(detect.get("how").asText()).isEqualTo("forced");
        assertThat(detect.get("forcedPath").asText()).startsWith("from vmmouse_detect; steered vmmouse_detect+0x");
        assertThat(findings(report)).noneMatch(f -> f.get("severity").asText().equals("error"));
        assertThat(findings(report)).filteredOn(f -> f.get("evidence").has("forced-path"))
                .isNotEmpty().allMatch(f -> f.get("severity").asText().equals("note"));
    }

    @Test
    void theBalloonLifecycleStartsBeforeItsOtherCommands() throws Exception {
        JsonNode report = check("vmw_balloon.ko");
        List<JsonNode> sites = hypercallSites(report);
        assertThat(sites).hasSize(8);
        JsonNode start = sites.stream().filter(s -> s.get("location").asText().startsWith("vmballoon_send_start+"))
                .findFirst().orElseThrow();
        assertThat(start.get("how").asText()).isEqualTo("lifecycle");
        assertThat(sites.stream().filter(s -> s.get("reached").asBoolean()).count()).isGreaterThanOrEqualTo(7);
        assertThat(sites).filteredOn(s -> !s.get("reached").asBoolean()).allMatch(s -> !s.get("why").asText().isEmpty());
        assertThat(findings(report)).noneMatch(f -> f.get("severity").asText().equals("error"));
    }

    @Test
    void textReportSaysHowManySitesWereReached() {
        Hvprobe.Result r = CliRun.run("check", module("ptp_vmw.ko"));
        assertThat(r.out()).containsPattern("ptp_vmw\\.ko \\(x86_64, profile vmware\\): hypercall sites 1, reached 1"
                + " \\(0 forced\\); device I/O sites 0");
    }

    @Test
    void entryPointsAreVerifiedOnTheStateInitModuleLeftWhenItReturnedZero() throws Exception {
        Path loaded = Hvprobe.compile(dir, "loaded.o", NEEDS_INIT, "gcc", "-DINIT_RESULT=0");
        JsonNode report = new ObjectMapper().readTree(CliRun.run("check", loaded, "--format", "json", "-q").out());
        JsonNode entry = function(report, "uses_what_init_set_up");
        assertThat(entry.get("hypercalls").asInt()).as("verified after init set ready: its GETVERSION runs").isEqualTo(1);
        assertThat(entry.get("findings")).isEmpty();

        Path refused = Hvprobe.compile(dir, "refused.o", NEEDS_INIT, "gcc", "-DINIT_RESULT=-19");
        JsonNode fresh = new ObjectMapper().readTree(CliRun.run("check", refused, "--format", "json", "-q").out());
        assertThat(function(fresh, "uses_what_init_set_up").get("hypercalls").asInt())
                .as("a module whose init failed never runs: its entry is verified on the loaded state").isZero();
    }

    private static JsonNode function(JsonNode report, String name) {
        for (JsonNode r : report.get("results")) {
            if (r.get("function").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + name + " in " + report);
    }
}
