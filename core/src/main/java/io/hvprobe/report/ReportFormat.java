package io.hvprobe.report;

import io.hvprobe.report.html.Contracts;
import io.hvprobe.spi.CommandDescriptor;

import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** The report formats hvprobe writes. */
public enum ReportFormat {
    /** gcc diagnostics: {@code file:line:col: error: message [rule]}, or {@code object:function+0xNN: ...}. */
    TEXT,
    /** One JSON document. */
    JSON,
    /** SARIF 2.1.0 for code-scanning UIs. */
    SARIF,
    /** JUnit XML: one test case per function and profile. */
    JUNIT,
    /** One self-contained HTML page: overview, filters, findings on their path, trap sites. */
    HTML;

    /**
     * Writes {@code report} in this format.
     *
     * @param report the report
     * @param out    where the text goes; flushed, not closed
     * @throws IOException when {@code out} fails
     */
    public void write(CheckReport report, Writer out) throws IOException {
        write(report, List.of(), out);
    }

    /**
     * Writes {@code report} in this format; the HTML page shows beside each finding the register contracts of the
     * command it names (the other formats leave {@code catalogue} out).
     *
     * @param report    the report
     * @param catalogue the commands the plugins know, with their register contracts (several catalogues, e.g. one
     *                  per profile, may be concatenated)
     * @param out       where the text goes; flushed, not closed
     * @throws IOException when {@code out} fails
     */
    public void write(CheckReport report, List<CommandDescriptor> catalogue, Writer out) throws IOException {
        // A switch expression, so a new format does not compile until it names its writer.
        ReportWriter writer = switch (this) {
            case TEXT -> new TextReportWriter();
            case JSON -> new JsonReportWriter();
            case SARIF -> new SarifReportWriter();
            case JUNIT -> new JUnitReportWriter();
            case HTML -> new HtmlReportWriter(Contracts.of(catalogue));
        };
        writer.write(report, out);
        out.flush();
    }
}
