package io.hvprobe.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds the guest objects this module's tests make at test time with the host's gcc. */
final class Gcc {
    private Gcc() {
    }

    /** Runs {@code gcc FLAGS source -o output}, asserts that it succeeded and returns {@code output}. */
    static Path build(Path source, Path output, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gcc"));
        command.addAll(List.of(flags));
        command.addAll(List.of(source.toString(), "-o", output.toString()));
        Process cc = new ProcessBuilder(command).inheritIO().start();
        assertThat(cc.waitFor()).as("gcc builds %s from %s", output.getFileName(), source.getFileName()).isZero();
        return output;
    }
}
