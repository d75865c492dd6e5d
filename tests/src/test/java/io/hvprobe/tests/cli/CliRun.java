package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.cli.Main;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

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
 * test JVM's working directory; pass absolute ones.
 */
final class CliRun {
    private CliRun() {
    }

    /** Runs {@code hvprobe args...} (each argument's {@code toString()}) in this JVM. */
    static synchronized Hvprobe.Result run(Object... args) {
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
            exit = cl.execute(argv);
            cl.getOut().flush();
            cl.getErr().flush();
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
