package io.hvprobe.report;

import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writes JUnit XML as Surefire does (each {@code testsuite} valid against Surefire's report XSD): a test suite per
 * object (and variant), a test case per function and profile. A case fails when it has a finding at or above
 * {@code --fail-on}; its other findings go to {@code system-out}. {@code time} is always 0: reports do not depend
 * on the clock, so two runs give the same file.
 */
final class JUnitReportWriter implements ReportWriter {

    @Override
    public void write(CheckReport report, Writer out) throws IOException {
        Map<String, List<FunctionResult>> suites = new LinkedHashMap<>();
        for (FunctionResult r : report.results()) {
            String suite = r.variant().isEmpty() ? r.object() : r.object() + " [" + r.variant() + "]";
            suites.computeIfAbsent(suite, k -> new ArrayList<>()).add(r);
        }
        // The reported set once, not once per function run (quadratic in a report of many functions).
        Predicate<LocatedFinding> reported = report.reportedFilter();
        Predicate<FunctionResult> fails = r -> report.fails(r, reported);
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "hvprobe");
            x.writeAttribute("tests", Integer.toString(report.results().size()));
            x.writeAttribute("failures", Long.toString(report.results().stream().filter(fails).count()));
            x.writeAttribute("errors", "0");
            x.writeAttribute("time", "0");
            for (var e : suites.entrySet()) {
                x.writeCharacters("\n  ");
                x.writeStartElement("testsuite");
                x.writeAttribute("name", e.getKey());
                x.writeAttribute("tests", Integer.toString(e.getValue().size()));
                x.writeAttribute("failures", Long.toString(e.getValue().stream().filter(fails).count()));
                x.writeAttribute("errors", "0");
                x.writeAttribute("skipped", "0");
                x.writeAttribute("time", "0");
                coverage(x, report, e.getValue().getFirst());
                for (FunctionResult r : e.getValue()) {
                    x.writeCharacters("\n    ");
                    testCase(x, report, reported, r);
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

    /**
     * The object as a class name CI tools display well: they split at the last dot (package, class), so the
     * directories become dot-separated packages and the dots of the file name become underscores:
     * {@code x86_64/gcc/O2/bugs-port.o} is class {@code bugs-port_o} in package {@code x86_64.gcc.O2}.
     */
    static String className(String object) {
        String p = object.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        int slash = p.lastIndexOf('/');
        String dir = slash < 0 ? "" : p.substring(0, slash).replace('.', '_').replace('/', '.');
        while (dir.startsWith(".")) {
            dir = dir.substring(1); // an absolute path
        }
        String file = p.substring(slash + 1).replace('.', '_');
        return dir.isEmpty() ? file : dir + "." + file;
    }

    /**
     * The suite's trap-site coverage as properties (CI tools show them with the suite): {@code trap-sites} holds
     * the summary line, one {@code unreached-site} per hypercall site no run reached. Nothing without coverage.
     */
    private static void coverage(XMLStreamWriter x, CheckReport report, FunctionResult first)
            throws XMLStreamException {
        List<ObjectCoverage> mine = report.coverage().stream().filter(c -> c.object().equals(first.object())
                && c.variant().equals(first.variant())).toList();
        if (mine.isEmpty()) {
            return;
        }
        x.writeCharacters("\n    ");
        x.writeStartElement("properties");
        for (ObjectCoverage c : mine) {
            String suffix = c.profile().isEmpty() ? "" : " [" + c.profile() + "]";
            x.writeCharacters("\n      ");
            x.writeEmptyElement("property");
            x.writeAttribute("name", "trap-sites" + suffix);
            x.writeAttribute("value", c.summary());
            for (SiteCoverage s : c.unreachedHypercallSites()) {
                x.writeCharacters("\n      ");
                x.writeEmptyElement("property");
                x.writeAttribute("name", "unreached-site" + suffix);
                x.writeAttribute("value", s.location() + " " + s.form() + ": " + s.detail());
            }
        }
        x.writeCharacters("\n    ");
        x.writeEndElement();
    }

    private static void testCase(XMLStreamWriter x, CheckReport report, Predicate<LocatedFinding> reported,
                                 FunctionResult r) throws XMLStreamException {
        x.writeStartElement("testcase");
        x.writeAttribute("name", r.profile().isEmpty() ? r.function() : r.function() + " [" + r.profile() + "]");
        x.writeAttribute("classname", className(r.object()));
        x.writeAttribute("time", "0");
        List<LocatedFinding> findings = r.findings().stream().filter(reported).toList();
        FailOn failOn = report.settings().failOn();
        List<LocatedFinding> failing = findings.stream().filter(f -> failOn.fails(f.finding().severity())).toList();
        if (!failing.isEmpty()) {
            x.writeStartElement("failure");
            x.writeAttribute("message", failing.getFirst().finding().message());
            x.writeAttribute("type", failing.getFirst().finding().ruleId());
            x.writeCharacters(text(failing, report));
            x.writeEndElement();
        }
        List<LocatedFinding> rest = findings.stream().filter(f -> !failing.contains(f)).toList();
        if (!rest.isEmpty()) {
            x.writeStartElement("system-out");
            x.writeCharacters(text(rest, report));
            x.writeEndElement();
        }
        x.writeEndElement();
    }

    private static String text(List<LocatedFinding> findings, CheckReport report) {
        StringBuilder b = new StringBuilder();
        findings.forEach(f -> TextReportWriter.lines(f, report.settings().verbose())
                .forEach(l -> b.append(l).append('\n')));
        return b.toString();
    }
}
