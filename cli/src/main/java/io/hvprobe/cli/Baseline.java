package io.hvprobe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.report.ReportedFinding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/** The fingerprints of an earlier {@code check --format sarif}: findings already known, left out of a new report. */
final class Baseline {
    private Baseline() {
    }

    /** The {@code partialFingerprints} of every result in {@code file}; an input error naming it otherwise. */
    static Set<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputError("no such file: " + file);
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InputError(file + ": not a SARIF file (" + e.getMessage().lines().findFirst().orElse("")
                    + ")", e);
        }
        if (root == null || !root.path("runs").isArray()) {
            throw new InputError(file + ": not a SARIF file (no runs)");
        }
        Set<String> fingerprints = new LinkedHashSet<>();
        for (JsonNode run : root.path("runs")) {
            for (JsonNode result : run.path("results")) {
                JsonNode fp = result.path("partialFingerprints").path(ReportedFinding.FINGERPRINT_KEY);
                if (fp.isTextual()) {
                    fingerprints.add(fp.asText());
                }
            }
        }
        return fingerprints;
    }
}
