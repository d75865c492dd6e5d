package io.hvprobe.tests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hvprobe check} on Debian's compiled 6.12 modules (scripts/fetch-real-objects): the verdicts that depend
 * on the VMware contracts and on input bits the ABI lets the hypervisor ignore (docs/vmware-model.md).
 */
class RealModulesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path module(String arch, String name) {
        Path p = Path.of("..", "target", "real-objects", arch, "modules", name).toAbsolutePath().normalize();
        assertThat(p).as("Debian module %s (run scripts/fetch-real-objects)", p).isRegularFile();
        return p;
    }

    private static List<JsonNode> findings(Path object) throws Exception {
        Result r = CliRun.run("check", object, "--format", "json", "-q", "--fail-on", "never");
        assertThat(r.exit()).as(r.toString()).isZero();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode result : JSON.readTree(r.out()).get("results")) {
            result.get("findings").forEach(out::add);
        }
        return out;
    }

    @Test
    void balloonStartCapabilitiesInTheWholeRcxAreNotAnError() throws Exception {
        List<JsonNode> all = findings(module("amd64", "vmw_balloon.ko"));
        // Runs steered to a site no other run reached report at most notes, which say so (ModuleCoverageIT).
        assertThat(all).filteredOn(n -> n.at("/evidence").has("forced-path"))
                .allSatisfy(n -> assertThat(n.get("severity").asText()).isEqualTo("note"));
        List<JsonNode> f = all.stream().filter(n -> !n.at("/evidence").has("forced-path")).toList();
        assertThat(f).noneSatisfy(n -> assertThat(n.get("location").asText()).startsWith("vmballoon_send_start"));
        assertThat(f).noneSatisfy(n -> assertThat(n.at("/evidence/command").asText()).isEqualTo("BALLOON.START"));
        // VMCI_INVALID_ID (~0) sign-extended into RBX/RSI for VMCI_DOORBELL_SET: a true, harmless truncation.
        assertThat(f).filteredOn(n -> n.get("rule").asText().equals("hvprobe.input-truncated")).isNotEmpty()
                .allSatisfy(n -> {
                    assertThat(n.get("severity").asText()).isEqualTo("warning");
                    assertThat(n.get("message").asText()).contains("BALLOON.VMCI_DOORBELL_SET");
                });
    }

    @Test
    void psmouseAndPtpVmwHaveNoErrorsOrWarnings() throws Exception {
        for (String m : List.of("psmouse.ko", "ptp_vmw.ko")) {
            assertThat(findings(module("amd64", m))).as(m)
                    .allSatisfy(n -> assertThat(n.get("severity").asText()).as(n.toString()).isEqualTo("note"));
        }
    }

    @Test
    void vmwBalloonCheckReportsNoError() throws Exception {
        // Its 7 former errors were all false: reruns that did not start from the same state, START's 64-bit RCX,
        // and protocol state a synthetic call cannot have (docs/verifier.md).
        assertThat(RealModules.errorsOfCheck(RealModules.amd64("vmw_balloon"))).isEmpty();
    }
}
