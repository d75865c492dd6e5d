package io.hvprobe.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Batch progress on stderr: a redrawn bar when stderr is a terminal (and a console exists), otherwise a plain
 * {@code checked N/M objects} line every tenth object and at the end; nothing when quiet.
 */
final class Progress {
    private final PrintStream err;
    private final int total;
    private final boolean bar;
    private final boolean quiet;
    private int done;

    private Progress(PrintStream err, int total, boolean bar, boolean quiet) {
        this.err = err;
        this.total = total;
        this.bar = bar;
        this.quiet = quiet;
    }

    static Progress start(int total, boolean quiet) {
        return new Progress(System.err, total, !quiet && stderrIsTerminal(), quiet || total <= 1);
    }

    /** One object finished (called from worker threads). */
    synchronized void advance(String label) {
        done++;
        if (quiet) {
            return;
        }
        if (bar) {
            int width = 30;
            int filled = (int) ((long) done * width / total);
            String name = label.length() > 40 ? "..." + label.substring(label.length() - 37) : label;
            err.print(String.format(Locale.ROOT, "\r\u001b[K[%s%s] %d/%d %s", "#".repeat(filled),
                    ".".repeat(width - filled), done, total, name));
            err.flush();
        } else if (done % 10 == 0 || done == total) {
            err.println(String.format(Locale.ROOT, "checked %d/%d objects", done, total));
        }
    }

    /** Clears the bar. */
    synchronized void finish() {
        if (bar && !quiet) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    private static boolean stderrIsTerminal() {
        if (System.console() == null) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
