package io.hvprobe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A machine whose native support is broken gets one line naming it and exit 3, never a stack trace. */
class MissingNativeSupportTest {

    @Test
    void withoutJnasNativeSupportCheckEndsWithOneLine(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("f.c");
        // A hypercall site, so that check decodes code (an object without one never needs the disassembler).
        Files.writeString(src, "unsigned long f(unsigned long a) { asm volatile(\"vmcall\" : \"+a\"(a)); return a; }\n");
        Path object = dir.resolve("f.o");
        Gcc.build(src, object, "-O2", "-c");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // JNA may neither unpack its dispatch library nor find one where it is told to look.
        Process p = new ProcessBuilder(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Djna.nounpack=true", "-Djna.boot.library.path=" + dir.resolve("no-such-dir"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check", object.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the CLI ends").isTrue();

        assertThat(p.exitValue()).as(err).isEqualTo(Main.EXIT_INPUT);
        assertThat(err).startsWith("hvprobe: JNA's native support (libjnidispatch) could not be loaded")
                .doesNotContain("\tat ").hasLineCount(1);
    }
}
