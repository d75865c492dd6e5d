package io.hvprobe.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What one in-process run of the command line gave.
 *
 * @param exit its exit status
 * @param out  what it wrote (to stdout, or to the {@code -o} file for {@link #toFile})
 * @param err  what it wrote to stderr
 */
record CliOutcome(int exit, String out, String err) {

    /**
     * Runs {@code hvprobe ARGS -o DIR/report}, as a user writing a report to a file would; {@code out} is the
     * file's text, empty when the run wrote none.
     */
    static CliOutcome toFile(Path dir, String... args) throws IOException {
        Path report = dir.resolve("report");
        Files.deleteIfExists(report);
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "-o";
        all[args.length + 1] = report.toString();
        CommandLine cl = Main.commandLine(all);
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(all);
        return new CliOutcome(exit, Files.exists(report) ? Files.readString(report) : "", err.toString());
    }
}
