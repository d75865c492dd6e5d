package io.hvprobe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A machine whose native support is broken gets one line naming it and exit 3, never a stack trace. */
class MissingNativeSupportTest {

    @Test
    void withoutJnasNativeSupportCheckEndsWithOneLine(@TempDir Path dir) throws Exception {
        // JNA may neither unpack its dispatch library nor find one where it is told to look.
        String err = checkEndsWithInputError(dir, Map.of(),
                "-Djna.nounpack=true", "-Djna.boot.library.path=" + dir.resolve("no-such-dir"));

        assertThat(err).startsWith("hvprobe: JNA's native support (libjnidispatch) could not be loaded");
    }

    @Test
    void withAUnicornLackingAFunctionCheckEndsWithOneLine(@TempDir Path dir) throws Exception {
        // A library under Unicorn 2's soname that has uc_version and nothing else, found first by the linker.
        Path src = dir.resolve("uc.c");
        Files.writeString(src, "unsigned uc_version(unsigned *major, unsigned *minor) { return 0x0200; }\n");
        Gcc.build(src, dir.resolve("libunicorn.so.2"), "-shared", "-fPIC");

        String err = checkEndsWithInputError(dir, Map.of("LD_LIBRARY_PATH", dir.toString()));

        assertThat(err).isEqualTo("hvprobe: libunicorn lacks symbol uc_open: Unicorn 2 needed:"
                + " apt-get install libunicorn2\n");
    }

    /** Runs {@code hvprobe check} of a small object in a new JVM and returns its one-line stderr (exit 3). */
    private static String checkEndsWithInputError(Path dir, Map<String, String> env, String... jvmOptions)
            throws Exception {
        Path src = dir.resolve("f.c");
        // A hypercall site, so that check decodes code (an object without one never needs the disassembler).
        Files.writeString(src, "unsigned long f(unsigned long a) { asm volatile(\"vmcall\" : \"+a\"(a)); return a; }\n");
        Path object = Gcc.build(src, dir.resolve("f.o"), "-O2", "-c");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "check",
                object.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("the CLI ends").isTrue();

        assertThat(p.exitValue()).as(err).isEqualTo(Main.EXIT_INPUT);
        assertThat(err).doesNotContain("\tat ").hasLineCount(1);
        return err;
    }
}
