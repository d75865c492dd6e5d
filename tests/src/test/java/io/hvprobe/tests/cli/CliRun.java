package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.cli.Main;
import io.hvprobe.cli.SharedChecks;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs the {@code hvprobe} command line in this JVM, the way the launcher's {@code java -jar} would (the picocli
 * entry point with its exception handlers), and captures its exit status, stdout and stderr. It spares each test
 * a JVM start; what only the launcher does (the script, the JVM flags, the start-up cache, a terminal, another
 * working directory or environment) stays with {@link Hvprobe}.
 *
 * <p>The command writes to {@link System#out} and {@link System#err}, which are swapped for the run: runs are
 * serialised, and the test JVM must not run tests concurrently with them (each fork runs its classes one by
 * one). Like {@link Hvprobe#run}, a run sees {@code NO_COLOR=1} and no {@code HVPROBE_VERBOSE}: the build sets
 * both in the test JVM's environment, and a run fails if they are not so. Relative paths are relative to the
 * test JVM's working directory: {@code tests/} for most classes (pass absolute paths there); a class tagged
 * {@value #IN_WORKING_DIRECTORY} runs in a fork whose working directory is its own, see
 * {@link #workingDirectory()}.
 */
final class CliRun {
    private CliRun() {
    }

    /**
     * The tag of the classes that run the command line in-process with paths relative to a working directory of
     * their own: the build runs them in forks whose working directory is {@code tests/target/cli-work-N}
     * (tests/pom.xml, failsafe execution {@code in-working-directory}).
     */
    static final String IN_WORKING_DIRECTORY = "in-working-directory";

    /**
     * This fork's working directory, against which a run resolves relative paths, made to look like the sample
     * matrix: it holds a link to each of the matrix's top directories ({@code x86_64/}, {@code arm64/}), so
     * matrix-relative paths, and paths such as {@code ../../../target/...} (both are three levels below the
     * repository), read as they do in the matrix. A class that copies objects here uses a name the matrix does
     * not have. Fails unless the build gave this fork such a directory (a class tagged
     * {@value #IN_WORKING_DIRECTORY}).
     */
    static synchronized Path workingDirectory() {
        Path cwd = Path.of("").toAbsolutePath();
        assertThat(cwd.getFileName().toString()).as("working directory of this test JVM: a class tagged @Tag(\""
                + IN_WORKING_DIRECTORY + "\") runs in tests/target/cli-work-N (tests/pom.xml)").startsWith("cli-work-");
        assertThat(cwd.getParent().getFileName().toString()).isEqualTo("target");
        try (Stream<Path> top = Files.list(Hvprobe.matrix())) {
            for (Path d : top.toList()) {
                Path link = cwd.resolve(d.getFileName().toString());
                if (Files.isSymbolicLink(link)) {
                    assertThat(Files.readSymbolicLink(link)).as(link.toString()).isEqualTo(d);
                } else {
                    Files.createSymbolicLink(link, d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cwd;
    }

    /**
     * An empty directory {@code name} in {@link #workingDirectory()} (emptied if a test before left it); the name
     * must not be one of the matrix's top directories, which are links to the matrix itself.
     */
    static Path freshDirectory(String name) throws IOException {
        Path d = workingDirectory().resolve(name);
        assertThat(Files.isSymbolicLink(d)).as(d + " is a link into the matrix").isFalse();
        if (Files.exists(d)) {
            try (Stream<Path> all = Files.walk(d)) { // does not follow links
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(d);
    }

    /** Runs {@code hvprobe args...} (each argument's {@code toString()}) in this JVM. */
    static Hvprobe.Result run(Object... args) {
        return run((cl, argv, err) -> cl.execute(argv), args);
    }

    /**
     * Runs {@code hvprobe check ...} like {@link #run}, but a check this JVM already made, of the same inputs with
     * the same options, is not made again: its report is written in this run's format, to its output, with its
     * report settings ({@link SharedChecks}). For the runs of a class (or of several) that differ only in the
     * rendering; the check must run (a usage or input error throws).
     */
    static Hvprobe.Result runSharingCheck(Object... args) {
        return run(SharedChecks::execute, args);
    }

    /** How a run executes the parsed command line. */
    private interface Execution {
        int execute(CommandLine cl, String[] argv, ByteArrayOutputStream err) throws Exception;
    }

    private static synchronized Hvprobe.Result run(Execution execution, Object... args) {
        assertThat(System.getenv("NO_COLOR")).as("NO_COLOR in the test JVM's environment (tests/pom.xml)")
                .isEqualTo("1");
        assertThat(System.getenv("HVPROBE_VERBOSE")).as("HVPROBE_VERBOSE in the test JVM's environment")
                .isNotEqualTo("1");
        String[] argv = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            argv[i] = args[i].toString();
        }
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        InputStream savedIn = System.in;
        int exit;
        try {
            System.setOut(out);
            System.setErr(err);
            System.setIn(new ByteArrayInputStream(new byte[0])); // the launcher's stdin is closed
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true));
            cl.setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
            exit = execution.execute(cl, argv, errBytes);
            cl.getOut().flush();
            cl.getErr().flush();
        } catch (Exception e) {
            throw new IllegalStateException("hvprobe " + String.join(" ", argv), e);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
        out.flush();
        err.flush();
        return new Hvprobe.Result(exit, outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8));
    }
}
