package io.hvprobe.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Standard output or the file named by {@code -o}; closing never closes stdout. */
final class OutputTarget {
    private OutputTarget() {
    }

    /** Whether {@code file} means standard output. */
    static boolean isStdout(String file) {
        return file == null || file.equals("-");
    }

    /**
     * Fails early, before any work, when {@code -o FILE} obviously cannot be written (its directory is missing, it
     * is a directory, or it exists read-only), so a long check does not end in a write error.
     */
    static void requireWritable(String file) {
        if (isStdout(file)) {
            return;
        }
        Path p;
        try {
            p = Path.of(file);
        } catch (InvalidPathException e) {
            throw new InputError("cannot write " + file + ": " + e.getReason());
        }
        Path parent = p.toAbsolutePath().getParent();
        if (Files.isDirectory(p)) {
            throw new InputError("cannot write " + file + ": it is a directory");
        }
        if (parent != null && !Files.isDirectory(parent)) {
            throw new InputError("cannot write " + file + ": no such directory " + parent);
        }
        if (Files.exists(p) ? !Files.isWritable(p) : parent != null && !Files.isWritable(parent)) {
            throw new InputError("cannot write " + file + ": permission denied");
        }
    }

    static OutputStream open(String file) {
        if (isStdout(file)) {
            return new FilterOutputStream(System.out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
        }
        requireWritable(file);
        try {
            return Files.newOutputStream(Path.of(file));
        } catch (IOException e) {
            throw new InputError("cannot write " + file + ": " + reason(e), e);
        }
    }

    /**
     * {@code e} as an input error naming the output when an I/O failure (disk full, device error) caused it;
     * otherwise {@code e} itself.
     */
    static RuntimeException writeFailure(String file, RuntimeException e) {
        IOException deepest = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                deepest = io; // writers wrap the device's exception in their own; the innermost says why
            }
        }
        return deepest == null ? e : new InputError("cannot write " + (isStdout(file) ? "standard output" : file)
                + ": " + reason(deepest), e);
    }

    static Writer writer(String file) {
        return new OutputStreamWriter(open(file), StandardCharsets.UTF_8);
    }

    /** The reason alone: {@link FileSystemException#getMessage} repeats the file name. */
    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "no such file or directory";
            case AccessDeniedException x -> "permission denied";
            case FileSystemException x -> x.getReason() != null ? x.getReason() : String.valueOf(x.getMessage());
            default -> String.valueOf(e.getMessage());
        };
    }
}
