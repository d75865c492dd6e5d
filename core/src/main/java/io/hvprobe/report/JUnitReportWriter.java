package io.hvprobe.report;

import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes JUnit XML: a test suite per object (and variant), a test case per function and profile;
 * error-severity findings are failures, the rest are listed in {@code system-out}.
 */
final class JUnitReportWriter {

    void write(CheckReport report, Writer out) throws IOException {
        Map<String, List<FunctionResult>> suites = new LinkedHashMap<>();
        for (FunctionResult r : report.results()) {
            String suite = r.variant().isEmpty() ? r.object() : r.object() + " [" + r.variant() + "]";
            suites.computeIfAbsent(suite, k -> new java.util.ArrayList<>()).add(r);
        }
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "hvprobe");
            x.writeAttribute("tests", Integer.toString(report.results().size()));
            x.writeAttribute("failures", Long.toString(report.results().stream().filter(JUnitReportWriter::failed).count()));
            for (var e : suites.entrySet()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", e.getKey());
                x.writeAttribute("tests", Integer.toString(e.getValue().size()));
                x.writeAttribute("failures", Long.toString(e.getValue().stream().filter(JUnitReportWriter::failed).count()));
                x.writeAttribute("errors", "0");
                x.writeAttribute("skipped", "0");
                for (FunctionResult r : e.getValue()) {
                    x.writeCharacters("\n    ");
                    testCase(x, e.getKey(), r);
                }
                x.writeCharacters("\n  ");
                x.writeEndElement();
            }
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndDocument();
            x.writeCharacters("\n");
            x.flush();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
    }

    private static boolean failed(FunctionResult r) {
        return r.findings().stream().anyMatch(f -> f.finding().severity() == io.hvprobe.spi.Severity.ERROR);
    }

    private static void testCase(XMLStreamWriter x, String suite, FunctionResult r) throws XMLStreamException {
        x.writeStartElement("testcase");
        x.writeAttribute("classname", suite);
        x.writeAttribute("name", r.profile().isEmpty() ? r.function() : r.function() + " [" + r.profile() + "]");
        List<LocatedFinding> errors = r.findings().stream()
                .filter(f -> f.finding().severity() == io.hvprobe.spi.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            x.writeStartElement("failure");
            x.writeAttribute("type", errors.getFirst().finding().ruleId());
            x.writeAttribute("message", errors.getFirst().finding().message());
            StringBuilder body = new StringBuilder();
            errors.forEach(f -> body.append(TextReportWriter.line(f)).append('\n'));
            x.writeCharacters(body.toString());
            x.writeEndElement();
        }
        List<LocatedFinding> rest = r.findings().stream()
                .filter(f -> f.finding().severity() != io.hvprobe.spi.Severity.ERROR).toList();
        if (!rest.isEmpty()) {
            x.writeStartElement("system-out");
            StringBuilder body = new StringBuilder();
            rest.forEach(f -> body.append(TextReportWriter.line(f)).append('\n'));
            x.writeCharacters(body.toString());
            x.writeEndElement();
        }
        x.writeEndElement();
    }
}
