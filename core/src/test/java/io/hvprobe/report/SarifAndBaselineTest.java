package io.hvprobe.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.arch.Arch;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** SARIF for code scanning, fingerprints, baselines, --min-severity and JUnit failures under --fail-on. */
class SarifAndBaselineTest {
    private static final Path ROOT = Path.of("/work/fw").toAbsolutePath();
    private static final Finding CLOBBER = new Finding("hvprobe.clobber.may-change", Severity.WARNING,
            "rsi is live across the trap", Map.of("register", "rsi", "command", "BALLOON.GET_TARGET",
            "read-at", "f+0x30"));
    private static final Finding MAGIC = Finding.of("vmware.magic-wrong", Severity.ERROR, "EAX is not the magic");

    /** A build of the same code where the finding sits at {@code offset}. */
    private static CheckReport build(long offset, String... profiles) {
        List<FunctionResult> results = new java.util.ArrayList<>();
        for (String profile : profiles) {
            FindingSite site = new FindingSite("/work/fw/build/x86_64/vmw.o", "vmw_balloon", offset, Arch.X86_64,
                    "x86_64", profile);
            LocatedFinding withSource = new LocatedFinding(CLOBBER, site.withSource(new SourceLocation(
                    "/work/fw/include/vmware.h", 118, 5, "vmware_hypercall3", List.of(
                    new SourceLocation.InlineFrame("/work/fw/drivers/balloon.c", 201, 9, "vmw_balloon")))));
            LocatedFinding noSource = new LocatedFinding(MAGIC, new FindingSite("/work/fw/build/x86_64/vmw.o",
                    "vmw_probe", offset + 4, Arch.X86_64, "x86_64", profile));
            results.add(new FunctionResult("/work/fw/build/x86_64/vmw.o", "vmw_balloon", Arch.X86_64, "x86_64",
                    profile, 2, 50, List.of(withSource)));
            results.add(new FunctionResult("/work/fw/build/x86_64/vmw.o", "vmw_probe", Arch.X86_64, "x86_64",
                    profile, 1, 20, List.of(noSource)));
        }
        return new CheckReport("0.1.0", results, List.of(new RuleDescriptor("vmware.magic-wrong", Severity.ERROR,
                "EAX does not hold the backdoor magic.")), ReportSettings.defaults().withSourceRoot(ROOT));
    }

    private static JsonNode sarif(CheckReport report) throws Exception {
        StringWriter out = new StringWriter();
        ReportFormat.SARIF.write(report, out);
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void aKnownSourceIsThePhysicalLocationRelativeToTheSourceRootWithTheObjectRelated() throws Exception {
        JsonNode result = sarif(build(0x29, "vmware")).at("/runs/0/results/0");

        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("include/vmware.h");
        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uriBaseId").asText()).isEqualTo("SRCROOT");
        assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(118);
        assertThat(result.at("/locations/0/physicalLocation/region/startColumn").asInt()).isEqualTo(5);
        assertThat(result.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText()).isEqualTo("vmw_balloon+0x29");
        assertThat(result.at("/relatedLocations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("drivers/balloon.c");
        assertThat(result.at("/relatedLocations/0/physicalLocation/region/startLine").asInt()).isEqualTo(201);
        assertThat(result.at("/relatedLocations/0/message/text").asText())
                .isEqualTo("vmware_hypercall3 inlined into vmw_balloon here");
        assertThat(result.at("/relatedLocations/1/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("build/x86_64/vmw.o");
    }

    @Test
    void withoutASourceTheObjectRelativeToTheSourceRootIsTheLocation() throws Exception {
        JsonNode result = sarif(build(0x29, "vmware")).at("/runs/0/results/1");

        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("build/x86_64/vmw.o");
        assertThat(result.at("/locations/0/physicalLocation/region").isMissingNode()).isTrue();
        assertThat(result.has("relatedLocations")).isFalse();
    }

    @Test
    void aFindingOfSeveralProfilesIsOneResultListingThemAll() throws Exception {
        JsonNode results = sarif(build(0x29, "vmware", "qemu-vmport")).at("/runs/0/results");

        assertThat(results).hasSize(2);
        assertThat(results.get(0).at("/properties/profiles").toString()).isEqualTo("[\"qemu-vmport\",\"vmware\"]");
    }

    @Test
    void rulesCarryDescriptionsHelpAndAnAnchorIntoTheRulesDocument() throws Exception {
        JsonNode driver = sarif(build(0x29, "vmware")).at("/runs/0/tool/driver");

        assertThat(driver.get("informationUri").asText()).isEqualTo("README.md");
        JsonNode magic = driver.get("rules").get(1);
        assertThat(magic.get("id").asText()).isEqualTo("vmware.magic-wrong");
        assertThat(magic.get("name").asText()).isEqualTo("MagicWrong");
        assertThat(magic.at("/fullDescription/text").asText()).startsWith("EAX does not hold the backdoor magic.");
        assertThat(magic.at("/help/text").asText()).contains("--suppress vmware.magic-wrong");
        assertThat(magic.get("helpUri").asText()).isEqualTo("docs/RULES.md#vmware.magic-wrong");
    }

    @Test
    void fingerprintsSurviveARebuildThatMovesTheCode() throws Exception {
        JsonNode before = sarif(build(0x29, "vmware")).at("/runs/0/results");
        JsonNode after = sarif(build(0x3c, "vmware")).at("/runs/0/results");

        assertThat(before.get(0).at("/partialFingerprints/hvprobe~1v1").asText())
                .isEqualTo(after.get(0).at("/partialFingerprints/hvprobe~1v1").asText())
                .isNotEqualTo(before.get(1).at("/partialFingerprints/hvprobe~1v1").asText());
    }

    @Test
    void aBaselineLeavesOutKnownFindingsAndOnlyNewOnesFail() {
        CheckReport old = build(0x29, "vmware");
        Set<String> known = Set.of(old.reported().get(1).fingerprint()); // the magic error
        CheckReport rebuilt = build(0x40, "vmware");

        CheckReport filtered = rebuilt.with(rebuilt.settings().withBaseline(known));

        assertThat(filtered.reported()).extracting(f -> f.finding().ruleId())
                .containsExactly("hvprobe.clobber.may-change");
        assertThat(filtered.fails()).isFalse();
        assertThat(filtered.with(filtered.settings().withFailOn(FailOn.WARNING)).fails()).isTrue();
    }

    @Test
    void theReportedFilterKeepsPerFunctionWhatTheReportKeeps() {
        CheckReport rebuilt = build(0x40, "vmware");
        CheckReport filtered = rebuilt.with(rebuilt.settings()
                .withBaseline(Set.of(build(0x29, "vmware").reported().get(1).fingerprint())));

        java.util.function.Predicate<LocatedFinding> reported = filtered.reportedFilter();
        assertThat(filtered.results()).allSatisfy(r -> {
            assertThat(r.findings().stream().filter(reported).toList()).isEqualTo(filtered.reported(r));
            assertThat(filtered.fails(r, reported)).isEqualTo(filtered.fails(r));
        });
        assertThat(filtered.results()).extracting(r -> r.findings().stream().filter(reported).count())
                .containsExactly(1L, 0L); // the baseline holds vmw_probe's magic error
    }

    @Test
    void minSeverityLeavesOutLesserFindingsFromReportAndExitStatus() {
        CheckReport errorsOnly = build(0x29, "vmware");
        errorsOnly = errorsOnly.with(errorsOnly.settings().withMinSeverity(Severity.ERROR).withFailOn(FailOn.WARNING));

        assertThat(errorsOnly.reported()).extracting(f -> f.finding().ruleId()).containsExactly("vmware.magic-wrong");
        assertThat(errorsOnly.countsByRule()).containsOnlyKeys("vmware.magic-wrong");
    }

    @Test
    void junitFailsTestCasesWithWarningsUnderFailOnWarning() throws Exception {
        CheckReport report = build(0x29, "vmware");
        report = report.with(report.settings().withFailOn(FailOn.WARNING));
        StringWriter out = new StringWriter();
        ReportFormat.JUNIT.write(report, out);
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)));

        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(2);
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("2");
        assertThat(((org.w3c.dom.Element) doc.getElementsByTagName("testcase").item(0)).getAttribute("classname"))
                .isEqualTo("work.fw.build.x86_64.vmw_o");
    }

    @Test
    void classNamesKeepTheFileNameWholeForToolsThatSplitAtTheLastDot() {
        assertThat(JUnitReportWriter.className("x86_64/gcc/O2/bugs-port.o")).isEqualTo("x86_64.gcc.O2.bugs-port_o");
        assertThat(JUnitReportWriter.className("./vmw.ko")).isEqualTo("vmw_ko");
    }
}
