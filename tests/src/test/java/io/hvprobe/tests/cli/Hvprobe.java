package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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

    /** The firmware-samples matrix; skips the test when it has not been built. */
    static Path matrix() {
        Path m = Path.of(System.getProperty("hvprobe.matrix.dir", "../firmware-samples/target/matrix"));
        assumeTrue(Files.isDirectory(m.resolve("x86_64/gcc/O2")), "sample matrix not built: " + m);
        return m.toAbsolutePath().normalize();
    }

    static Path sample(String relative) {
        return matrix().resolve(relative);
    }

    static Result run(Object... args) {
        return runIn(null, args);
    }

    static Result runIn(Path dir, Object... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        for (Object a : args) {
            cmd.add(a.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().remove("HVPROBE_VERBOSE");
        pb.environment().put("NO_COLOR", "1");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("hvprobe timed out: " + cmd);
            }
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
            assumeTrue(false, compilerAndFlags[0] + " not installed");
            return null;
        }
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(cmd + ": " + text).isZero();
        return obj;
    }
}
