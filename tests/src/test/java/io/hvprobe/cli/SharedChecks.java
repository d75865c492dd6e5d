package io.hvprobe.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs {@code hvprobe check} in the test JVM so that runs asking for the same check, rendered differently, check
 * once: the check's report (the cli's one report model) is kept and written again in each run's format, to its
 * output, with its report settings. Two runs share a check when their arguments are equal once the options that
 * only choose the rendering ({@link #RENDERING}) are dropped, in the same working directory, and every file under
 * their paths (and the manifest) has the same content: the key holds the files' digests, so a changed input is
 * checked afresh. What the check printed to stderr (progress lines) is printed again with each rendering.
 *
 * <p>In the cli's package for {@link CheckCommand}'s steps ({@code prepare}, {@code check}, {@code write}); the
 * runs themselves go through the tests' {@code CliRun}, which captures stdout and stderr. A check that fails to
 * run (a usage or input error) throws here instead of exiting 2 or 3: such runs use the plain in-process run.
 */
public final class SharedChecks {
    private SharedChecks() {
    }

    /** The options whose value (or presence) only chooses how the report is written, not what is checked. */
    private static final Set<String> RENDERING = Set.of("--format", "-o", "--output", "--fail-on", "--verbose");
    private static final Set<String> FLAGS = Set.of("--verbose");

    private record Done(CheckCommand.Checked checked, byte[] stderr) {
    }

    private static final Map<List<String>, Done> DONE = new HashMap<>();

    /**
     * Executes {@code argv} (a {@code check} command line) with {@code cl}, {@code Main.commandLine()} whose
     * stdout and stderr the caller set; {@code stderr} receives what {@link System#err} does. The exit status.
     */
    public static synchronized int execute(CommandLine cl, String[] argv, ByteArrayOutputStream stderr)
            throws Exception {
        CommandLine.ParseResult parsed = cl.parseArgs(argv);
        if (!parsed.hasSubcommand() || !(parsed.subcommand().commandSpec().userObject() instanceof CheckCommand c)) {
            throw new IllegalArgumentException("not a check command line: " + List.of(argv));
        }
        c.prepare();
        List<String> key = key(argv, c);
        Done done = DONE.get(key);
        if (done == null) {
            int before = stderr.size();
            CheckCommand.Checked checked = c.check();
            byte[] all = stderr.toByteArray();
            done = new Done(checked, java.util.Arrays.copyOfRange(all, before, all.length));
            DONE.put(key, done);
        } else {
            System.err.write(done.stderr());
            System.err.flush();
        }
        return c.write(done.checked());
    }

    /** The arguments without the rendering options, the working directory, and each input file with its digest. */
    private static List<String> key(String[] argv, CheckCommand c) throws IOException {
        List<String> key = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String name = argv[i].contains("=") ? argv[i].substring(0, argv[i].indexOf('=')) : argv[i];
            if (!RENDERING.contains(name)) {
                key.add(argv[i]);
            } else if (!FLAGS.contains(name) && !argv[i].contains("=")) {
                i++; // the option's value
            }
        }
        key.add("in " + Path.of("").toAbsolutePath());
        List<String> inputs = new ArrayList<>(c.paths);
        if (c.manifest != null) {
            inputs.add(c.manifest);
        }
        for (String input : inputs) {
            try (Stream<Path> files = Files.walk(Path.of(input))) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    key.add(f + " " + digest(f));
                }
            }
        }
        return List.copyOf(key);
    }

    private static String digest(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
