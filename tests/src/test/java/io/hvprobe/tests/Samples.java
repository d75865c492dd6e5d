package io.hvprobe.tests;

import io.hvprobe.manifest.Manifest;
import io.hvprobe.manifest.ManifestException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the firmware samples and their build matrix are (system properties set by the build). */
final class Samples {
    private Samples() {
    }

    /** {@code hvprobe.matrix.dir}: the matrix the reactor built before this module. */
    static Path matrix() {
        return Path.of(System.getProperty("hvprobe.matrix.dir", "../firmware-samples/target/matrix"));
    }

    /** The project's root directory: the parent of {@code hvprobe.samples.dir}, which the build sets. */
    static Path projectRoot() {
        String samples = System.getProperty("hvprobe.samples.dir");
        if (samples == null) {
            throw new IllegalStateException("system property hvprobe.samples.dir is not set (run through Maven)");
        }
        return Path.of(samples).toAbsolutePath().normalize().getParent();
    }

    /** {@code hvprobe.samples.dir}/manifest.yaml. */
    static Path manifestFile() {
        return Path.of(System.getProperty("hvprobe.samples.dir", "../firmware-samples")).resolve("manifest.yaml");
    }

    static Manifest manifest() {
        try {
            return Manifest.load(manifestFile());
        } catch (ManifestException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Every matrix object, relative to the matrix root, sorted (the blob directory holds no .o). */
    static List<Path> objects() {
        Path root = matrix();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".o") && !p.toString().contains("/blob/"))
                    .map(root::relativize).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no build matrix at " + root + " (build firmware-samples first)", e);
        }
    }
}
