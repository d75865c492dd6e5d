package io.hvprobe.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Standard output or the file named by {@code -o}; closing never closes stdout. */
final class OutputTarget {
    private OutputTarget() {
    }

    static OutputStream open(String file) {
        if (file == null || file.equals("-")) {
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
        try {
            Path p = Path.of(file);
            return Files.newOutputStream(p);
        } catch (IOException e) {
            throw new InputError("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static Writer writer(String file) {
        return new OutputStreamWriter(open(file), StandardCharsets.UTF_8);
    }
}
