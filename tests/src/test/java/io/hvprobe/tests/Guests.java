package io.hvprobe.tests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Guest C sources under {@code src/test/resources/guests}, compiled at test time. */
final class Guests {
    private Guests() {
    }

    /**
     * Compiles {@code guests/<source>} with {@code compiler} ({@code gcc -O2} and the like) into {@code dir}. A
     * missing compiler fails the test: gcc and clang are build requirements.
     */
    static Path compile(Path dir, String source, String compiler) throws IOException, InterruptedException {
        Path src = dir.resolve(source);
        try (InputStream in = Guests.class.getResourceAsStream("/guests/" + source)) {
            assertThat(in).as("test resource guests/" + source).isNotNull();
            Files.write(src, in.readAllBytes());
        }
        Path obj = dir.resolve(source.replace(".c", "") + "-" + compiler.replace(' ', '_') + ".o");
        List<String> cmd = new ArrayList<>(List.of(compiler.split(" ")));
        cmd.addAll(List.of("-c", "-fno-pic", "-ffreestanding", "-fno-stack-protector", src.toString(), "-o",
                obj.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(cmd + ": " + out).isZero();
        return obj;
    }
}
