package io.hvprobe.report;

import java.io.IOException;
import java.io.Writer;

/** Writes a {@link CheckReport} in one format; {@link ReportFormat} picks the writer of each format. */
interface ReportWriter {
    /** Writes {@code report} to {@code out} (not flushed, not closed). */
    void write(CheckReport report, Writer out) throws IOException;
}
