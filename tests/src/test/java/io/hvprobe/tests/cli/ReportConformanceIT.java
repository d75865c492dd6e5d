package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reports of a real check (the x86_64/gcc/O2 samples under two profiles) as the tools that consume them
 * read them: SARIF against the official 2.1.0 schema and GitHub's ingestion rules (sarif-multitool), JUnit XML
 * against Surefire's XSD, text lines against the length limit. The validators come from npm and Maven Central
 * at test time. The check runs in-process with matrix-relative paths ({@link CliRun#workingDirectory()}).
 */
@Tag(CliRun.IN_WORKING_DIRECTORY)
class ReportConformanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reports, each made once per class: three tests read the same SARIF report. */
    @TempDir
    static Path reports;
    private static final Map<List<String>, Path> MADE = new HashMap<>();

    @TempDir
    Path dir;

    /** The report in {@code format} (and with {@code more} options) of the check; the same file for the same ask. */
    private static synchronized Path report(String format, String... more) {
        List<String> options = new ArrayList<>(List.of("--format", format));
        options.addAll(List.of(more));
        return MADE.computeIfAbsent(options, ReportConformanceIT::check);
    }

    private static Path check(List<String> options) {
        CliRun.workingDirectory();
        String format = options.get(1);
        Path out = reports.resolve("report-" + MADE.size() + "." + format);
        List<Object> args = new ArrayList<>(List.of("check", "x86_64/gcc/O2", "--profile", "vmware", "--profile",
                "qemu-vmport", "--format", format, "-o", out.toString(), "-q"));
        args.addAll(options.subList(2, options.size()));
        Result r = CliRun.runSharingCheck(args.toArray()); // the SARIF and text reports are of one check
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        return out;
    }

    @Test
    void sarifIsValidAgainstTheOfficialSchema() throws Exception {
        JsonNode sarif = JSON.readTree(report("sarif").toFile());
        Path schema = Registry.multitoolPackage().resolve("sarif-2.1.0.json");

        Set<ValidationMessage> errors = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(schema.toUri()).validate(sarif);

        assertThat(errors).isEmpty();
        assertThat(sarif.at("/runs/0/results")).hasSizeGreaterThan(50);
    }

    @Test
    void sarifBreaksNoGitHubIngestionRule() throws Exception {
        Path sarif = report("sarif");
        Path pkg = Registry.multitoolPackage();
        Path log = dir.resolve("validation.sarif");

        Registry.run(dir, pkg.resolve("Sarif.Multitool").toString(), "validate", "--rule-kind", "Gh;Sarif",
                "-o", log.toString(), sarif.toString());

        List<String> ghRules = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (JsonNode r : JSON.readTree(log.toFile()).at("/runs/0/results")) {
            String id = r.path("ruleId").asText();
            String text = r.at("/message/arguments").toString();
            if (id.startsWith("GH")) {
                ghRules.add(id + " " + text);
            }
            // The one error the multitool has: it rejects a fragment in a relative reference (docs/RULES.md#rule),
            // which RFC 3986 section 4.2 allows; helpUri points at the rule's anchor in the repository.
            if (r.path("level").asText("warning").equals("error")
                    && !(id.equals("SARIF1002") && text.contains("helpUri") && text.contains("RULES.md#"))) {
                errors.add(id + " " + text);
            }
        }
        assertThat(ghRules).isEmpty();
        assertThat(errors).isEmpty();
    }

    @Test
    void sarifHasOneResultPerFindingWithStableFingerprintsAndRelativeLocations() throws Exception {
        JsonNode run = JSON.readTree(report("sarif").toFile()).at("/runs/0");
        Set<String> fingerprints = new HashSet<>();
        Set<String> withoutProfiles = new HashSet<>();
        int multiProfile = 0;
        for (JsonNode r : run.get("results")) {
            assertThat(fingerprints.add(r.at("/partialFingerprints/hvprobe~1v1").asText())).as(r.toString()).isTrue();
            JsonNode copy = r.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("properties")).remove("profiles");
            assertThat(withoutProfiles.add(copy.toString())).as("duplicate result " + r).isTrue();
            multiProfile += r.at("/properties/profiles").size() > 1 ? 1 : 0;
            JsonNode artifact = r.at("/locations/0/physicalLocation/artifactLocation");
            assertThat(artifact.get("uri").asText()).startsWith("x86_64/gcc/O2/");
            assertThat(artifact.get("uriBaseId").asText()).isEqualTo("SRCROOT");
        }
        assertThat(multiProfile).as("findings both profiles produced").isPositive();
        for (JsonNode rule : run.at("/tool/driver/rules")) {
            assertThat(rule.at("/fullDescription/text").asText()).isNotBlank();
            assertThat(rule.at("/help/text").asText()).isNotBlank();
            assertThat(rule.get("helpUri").asText()).isEqualTo("docs/RULES.md#" + rule.get("id").asText());
            assertThat(Files.readString(Hvprobe.launcher().getParent().resolve("docs/RULES.md")))
                    .contains("<a id=\"" + rule.get("id").asText() + "\"></a>");
        }
    }

    @Test
    void junitIsValidAgainstSurefiresXsdAndFailsWhatFailOnFails() throws Exception {
        // Synthetic calls leave few warnings (invented inputs make most of them notes): with its errors suppressed,
        // bug_balloon_assumes_esi_kept keeps only its clobber.may-change warning.
        Path xml = report("junit", "--fail-on", "warning", "--suppress",
                "hvprobe.undefined-consumed@bug_balloon_assumes_esi_kept");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Validator validator = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Registry.surefireXsd().toFile()).newValidator();

        NodeList suites = doc.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isPositive();
        for (int i = 0; i < suites.getLength(); i++) {
            validator.validate(new DOMSource(suites.item(i)));
        }
        NodeList cases = doc.getElementsByTagName("testcase");
        int warningsOnly = 0;
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String cls = c.getAttribute("classname");
            assertThat(cls.substring(cls.lastIndexOf('.') + 1)).as(cls).endsWith("_o").hasSizeGreaterThan(3);
            boolean failed = c.getElementsByTagName("failure").getLength() > 0;
            String out = c.getElementsByTagName("system-out").getLength() > 0
                    ? c.getElementsByTagName("system-out").item(0).getTextContent() : "";
            assertThat(out).as("with --fail-on warning, warnings fail").doesNotContain(": warning: ", ": error: ");
            if (failed && c.getElementsByTagName("failure").item(0).getTextContent().contains(": warning: ")
                    && !c.getElementsByTagName("failure").item(0).getTextContent().contains(": error: ")) {
                warningsOnly++;
            }
        }
        assertThat(warningsOnly).as("test cases failing on warnings alone").isPositive();
    }

    @Test
    void textLinesStayUnder200Characters() throws Exception {
        List<String> lines = Files.readAllLines(report("text", "--verbose"));
        assertThat(lines).hasSizeGreaterThan(100)
                .allSatisfy(l -> assertThat(l.length()).as(l).isLessThan(200));
    }
}
