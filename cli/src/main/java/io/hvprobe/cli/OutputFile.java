package io.hvprobe.cli;

import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code -o FILE} for {@code run} and {@code compare}: the output, in whichever format, goes to FILE instead of
 * standard output (written without colour; checked before any work starts, as for {@code check -o}).
 */
final class OutputFile {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the output (any --format) to FILE instead of standard output.")
    String file;

    /** Whether the output goes to standard output ({@code -o} absent or {@code -}). */
    boolean toStdout() {
        return OutputTarget.isStdout(file);
    }

    /** A one-line input error now, before any work, when FILE cannot be written. */
    void requireWritable() {
        OutputTarget.requireWritable(file);
    }

    /** Colour for text output: the terminal's choice on standard output, none in a file. */
    Paint paint(CommonOptions common) {
        return toStdout() ? Paint.forStdout(common) : new Paint(false);
    }

    /**
     * Writes the output with {@code body}: to {@code stdout}, or to FILE, closed afterwards; a failed write is
     * one input error naming FILE.
     */
    void write(PrintWriter stdout, java.util.function.Consumer<PrintWriter> body) {
        if (toStdout()) {
            body.accept(stdout);
            stdout.flush();
            return;
        }
        try (PrintWriter out = new PrintWriter(OutputTarget.writer(file))) {
            body.accept(out);
            out.flush();
            if (out.checkError()) {
                throw new InputError("cannot write " + file + ": write error");
            }
        }
    }

    /** {@code hvprobe: wrote FILE} on {@code err}, unless quiet or on standard output. */
    void announce(PrintWriter err, CommonOptions common) {
        if (!toStdout() && !common.quiet) {
            err.println("hvprobe: wrote " + file);
            err.flush();
        }
    }
}
