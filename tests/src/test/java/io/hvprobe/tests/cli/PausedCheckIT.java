package io.hvprobe.tests.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The main job's report does not depend on the clock or the machine's load: {@code check --manifest --format json}
 * writes byte for byte the same report through the launcher, with a busy loop competing for the CPUs and the JVM
 * stopped (SIGSTOP) for longer than the former 10 s per-call limit in the middle of the run, as in this JVM on a
 * quiet machine (a warm JVM, another start). A small copy of the matrix (every unit, both arches) keeps it cheap;
 * {@code scripts/determinism-check} does the same with the whole main job.
 */
@Tag(CliRun.IN_WORKING_DIRECTORY)
class PausedCheckIT {
    private static final List<String> OBJECTS = List.of("x86_64/gcc/O2/detect-port.o", "x86_64/gcc/O2/rpc-port.o",
            "x86_64/gcc/O2/bugs-port.o", "x86_64/clang/O0/clock-vmcall.o", "arm64/gcc/O2/rpc-mrs.o",
            "arm64/gcc/O2/bugs-mrs.o");

    @Test
    void theJsonReportIsByteIdenticalUnderABusyLoopAndWithTheJvmPausedMidRun() throws Exception {
        Path matrix = CliRun.freshDirectory("matrix");
        for (String rel : OBJECTS) {
            Path to = matrix.resolve(rel);
            Files.createDirectories(to.getParent());
            Files.copy(Hvprobe.sample(rel), to);
        }
        Path manifest = Path.of(System.getProperty("hvprobe.samples.dir", "../firmware-samples"))
                .resolve("manifest.yaml").toAbsolutePath();
        List<String> args = List.of("check", "matrix", "--manifest", manifest.toString(), "--format", "json",
                "--fail-on", "never", "-q", "--jobs", "2");
        Hvprobe.Result quiet = CliRun.run(args.toArray());
        assertThat(quiet.exit()).as(quiet.toString()).isZero();
        String loaded = runBusyAndPaused(CliRun.workingDirectory(), args, 1_500, 12_000);
        assertThat(loaded).isEqualTo(quiet.out());
    }

    /**
     * Runs the launcher in {@code dir} while a busy loop ({@code yes} into the void) competes with its two job
     * threads for the build machine's two cores, and stops both (and every process the launcher started) for
     * {@code pauseMs} after {@code afterMs}; the loop spins only while the check runs.
     */
    private String runBusyAndPaused(Path dir, List<String> args, long afterMs, long pauseMs) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Hvprobe.launcher().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("NO_COLOR", "1");
        Process busy = new ProcessBuilder("yes").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            Thread.sleep(afterMs);
            assertThat(p.isAlive()).as("the check still runs when it is paused").isTrue();
            List<Long> pids = new ArrayList<>();
            pids.add(busy.pid());
            pids.add(p.pid());
            p.descendants().forEach(h -> pids.add(h.pid()));
            signal("STOP", pids);
            Thread.sleep(pauseMs);
            signal("CONT", pids);
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("check ends after the pause").isTrue();
            assertThat(p.exitValue()).as(new String(err.get(), StandardCharsets.UTF_8)).isZero();
            return new String(out.get(), StandardCharsets.UTF_8);
        } finally {
            busy.destroyForcibly(); // SIGKILL: also ends it if a failure left it stopped
        }
    }

    private static void signal(String name, List<Long> pids) throws IOException, InterruptedException {
        List<String> kill = new ArrayList<>(List.of("kill", "-" + name));
        pids.forEach(pid -> kill.add(Long.toString(pid)));
        Process k = new ProcessBuilder(kill).redirectErrorStream(true).start();
        k.waitFor(10, TimeUnit.SECONDS);
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
