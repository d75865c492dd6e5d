package io.hvprobe.report;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/** Keeps Jackson from closing the caller's writer (stdout, a file the caller owns). */
final class NonClosingWriter extends FilterWriter {
    NonClosingWriter(Writer out) {
        super(out);
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
