package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Runs the real {@code hvprobe} launcher and captures its exit status and output. */
final class Hvprobe {
    private Hvprobe() {
    }

    /** What one launch produced. */
    record Result(int exit, String out, String err) {
        /** Stderr lines. */
        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static Path launcher() {
        Path p = Path.of(System.getProperty("hvprobe.launcher", "../hvprobe")).toAbsolutePath().normalize();
        assertThat(p).as("launcher script").isRegularFile();
        assertThat(p.getParent().resolve("cli/target/hvprobe.jar"))
                .as("cli/target/hvprobe.jar (package the cli module first)").isRegularFile();
        return p;
    }

    /**
     * The firmware-samples matrix, which the reactor builds before this module. A missing matrix fails the test:
     * skipping would let every end-to-end test "pass" without running.
     */
    static Path matrix() {
        Path m = Path.of(System.getProperty("hvprobe.matrix.dir", "../firmware-samples/target/matrix"));
        assertThat(m.resolve("x86_64/gcc/O2")).as("sample matrix (build firmware-samples first)").isDirectory();
        return m.toAbsolutePath().normalize();
    }

    static Path sample(String relative) {
        return matrix().resolve(relative);
    }

    static Result run(Object... args) {
        return runIn(null, args);
    }

    static Result runIn(Path dir, Object... args) {
        return runWith(dir, Map.of(), args);
    }

    /** Runs the launcher in {@code dir} (null: here) with {@code env} added to its environment (and NO_COLOR). */
    static Result runWith(Path dir, Map<String, String> env, Object... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        for (Object a : args) {
            cmd.add(a.toString());
        }
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("NO_COLOR", "1");
        return launch(cmd, dir, all);
    }

    /**
     * Runs the launcher with {@code args} on a pseudo-terminal (util-linux {@code script}), so stdout and stderr
     * are a tty; both arrive merged in {@link Result#out()}. {@code env} is added to the environment (NO_COLOR is
     * removed unless given).
     */
    static Result onTerminal(Path dir, Map<String, String> env, Object... args) {
        StringBuilder line = new StringBuilder();
        line.append(quote(launcher().toString()));
        for (Object a : args) {
            line.append(' ').append(quote(a.toString()));
        }
        return launch(List.of("script", "-qec", line.toString(), "/dev/null"), dir, env);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Result launch(List<String> cmd, Path dir, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().remove("HVPROBE_VERBOSE");
        pb.environment().remove("NO_COLOR");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            // No clock here: the command bounds its own work (instruction budgets), and a hang ends with the test
            // JVM (hvprobe.test.hangGuardSeconds, pom.xml); on a machine loaded 40-fold a check takes minutes.
            p.waitFor();
            return new Result(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        }
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Compiles C {@code source} with {@code compiler} (plus flags) into {@code dir/name}; skips if missing. */
    static Path compile(Path dir, String name, String source, String... compilerAndFlags) throws Exception {
        Path src = dir.resolve(name.replaceAll("\\.o$", "") + (source.contains(".pushsection") ? ".S" : ".c"));
        Files.writeString(src, source, StandardCharsets.UTF_8);
        Path obj = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(compilerAndFlags));
        cmd.addAll(List.of("-c", "-O2", "-fno-pic", "-ffreestanding", "-fno-stack-protector", src.toString(), "-o",
                obj.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            // gcc and clang are build requirements (scripts/main installs them): missing is a failure, not a skip.
            throw new AssertionError(compilerAndFlags[0] + " not installed: " + e.getMessage(), e);
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(cmd + ": " + text).isZero();
        return obj;
    }
}
