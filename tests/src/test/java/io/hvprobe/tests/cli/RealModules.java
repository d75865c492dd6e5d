package io.hvprobe.tests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's compiled kernel modules (linux-image 6.12, cached under target/real-objects by scripts/fetch-real-objects)
 * checked by the command line. A missing cache fails the test with the command that makes it.
 */
final class RealModules {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RealModules() {
    }

    /** {@code target/real-objects/amd64/modules/<name>.ko} of the project. */
    static Path amd64(String name) {
        Path launcher = Hvprobe.launcher();
        Path ko = launcher.getParent().resolve("target/real-objects/amd64/modules").resolve(name + ".ko");
        assertThat(ko).as("Debian module %s (run scripts/fetch-real-objects)", name).isRegularFile();
        return ko;
    }

    /** The error findings of {@code hvprobe check} on a module, one line each; the check must complete. */
    static List<String> errorsOfCheck(Path ko) throws Exception {
        Hvprobe.Result r = CliRun.run("check", ko, "--format", "json", "--fail-on", "never");
        assertThat(r.exit()).as("check completes: %s", r).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("results").size()).as("functions checked in %s", ko).isPositive();
        List<String> errors = new ArrayList<>();
        for (JsonNode result : root.get("results")) {
            for (JsonNode f : result.get("findings")) {
                if (f.get("severity").asText().equals("error")) {
                    errors.add(result.get("function").asText() + ": " + f.get("location").asText() + ": ["
                            + f.get("rule").asText() + "] " + f.get("message").asText());
                }
            }
        }
        return errors;
    }
}
