package io.hvprobe.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.arch.Arch;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ReportFormatTest {

    private static final FindingSite SITE =
            new FindingSite("vmw.o", "vmw_probe", 0x1c, Arch.X86_64, "gcc/O2", "vmware");

    private static CheckReport sample() {
        LocatedFinding clobber = new LocatedFinding(new Finding("hvprobe.clobber.written", Severity.ERROR,
                "rbx is read after the trap but GETVERSION writes it", Map.of("register", "rbx")), SITE);
        LocatedFinding upper = new LocatedFinding(Finding.of("vmware.input-upper-bits", Severity.WARNING,
                "bits 63:32 of rbx are ignored"), SITE);
        FunctionResult bad = new FunctionResult("vmw.o", "vmw_probe", Arch.X86_64, "gcc/O2", "vmware", 1, 40,
                List.of(upper, clobber));
        FunctionResult good = new FunctionResult("vmw.o", "vmw_gethz", Arch.X86_64, "gcc/O2", "vmware", 1, 30,
                List.of());
        return new CheckReport("0.1.0", List.of(bad, good), List.of(new RuleDescriptor(
                "hvprobe.clobber.written", Severity.ERROR, "register written by the hypervisor assumed preserved")));
    }

    private static String render(ReportFormat format) throws Exception {
        StringWriter out = new StringWriter();
        format.write(sample(), out);
        return out.toString();
    }

    @Test
    void textLinesFollowGccWithTheObjectLocationWhenThereIsNoSource() throws Exception {
        String text = render(ReportFormat.TEXT);
        assertThat(text.lines().toList()).containsExactly(
                "vmw.o:vmw_probe+0x1c: error: rbx is read after the trap but GETVERSION writes it"
                        + " [hvprobe.clobber.written]",
                "  profile vmware; variant gcc/O2",
                "vmw.o:vmw_probe+0x1c: warning: bits 63:32 of rbx are ignored [vmware.input-upper-bits]",
                "  profile vmware; variant gcc/O2",
                "2 function run(s), 2 hypercall(s), 2 finding(s)");
    }

    @Test
    void verboseTextAddsTheEvidenceOnIndentedLines() throws Exception {
        StringWriter out = new StringWriter();
        ReportFormat.TEXT.write(sample().with(ReportSettings.defaults().withVerbose(true)), out);
        assertThat(out.toString()).contains("[hvprobe.clobber.written]\n  profile vmware; variant gcc/O2\n"
                + "    register=rbx\n");
    }

    @Test
    void sarifHasTheVersion210StructureWithRulesAndLocations() throws Exception {
        JsonNode sarif = new ObjectMapper().readTree(render(ReportFormat.SARIF));
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        assertThat(sarif.get("$schema").asText()).contains("sarif-2.1.0");
        JsonNode run = sarif.get("runs").get(0);
        assertThat(run.at("/tool/driver/name").asText()).isEqualTo("hvprobe");
        JsonNode rules = run.at("/tool/driver/rules");
        assertThat(rules).hasSize(2);
        JsonNode result = run.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo("hvprobe.clobber.written");
        assertThat(rules.get(result.get("ruleIndex").asInt()).get("id").asText()).isEqualTo("hvprobe.clobber.written");
        assertThat(rules.get(0).at("/shortDescription/text").asText()).contains("assumed preserved");
        assertThat(result.get("level").asText()).isEqualTo("error");
        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("vmw.o");
        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uriBaseId").asText())
                .isEqualTo("SRCROOT");
        assertThat(result.at("/locations/0/logicalLocations/0/fullyQualifiedName").asText()).isEqualTo("vmw_probe+0x1c");
        assertThat(run.get("results").get(1).get("level").asText()).isEqualTo("warning");
    }

    @Test
    void sarifArtifactUrisAreUriReferencesWhateverThePath() {
        assertThat(SarifReportWriter.uri("build/x86_64/vmw.o")).isEqualTo("build/x86_64/vmw.o");
        assertThat(SarifReportWriter.uri("/work/out dir/a#1%.o")).isEqualTo("/work/out%20dir/a%231%25.o");
        assertThat(SarifReportWriter.uri("C:\\build\\vmw.o")).isEqualTo("file:///C:/build/vmw.o");
        assertThat(SarifReportWriter.uri("obj/\u00e9t\u00e9.o")).isEqualTo("obj/%C3%A9t%C3%A9.o");
    }

    @Test
    void junitXmlHasOneTestCasePerFunctionAndFailsOnErrors() throws Exception {
        String xml = render(ReportFormat.JUNIT);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getAttribute("tests")).isEqualTo("2");
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        var cases = doc.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2);
        var failures = doc.getElementsByTagName("failure");
        assertThat(failures.getLength()).isEqualTo(1);
        assertThat(failures.item(0).getAttributes().getNamedItem("type").getNodeValue())
                .isEqualTo("hvprobe.clobber.written");
        assertThat(((org.w3c.dom.Element) cases.item(0)).getAttribute("time")).isEqualTo("0");
        assertThat(((org.w3c.dom.Element) cases.item(0)).getAttribute("classname")).isEqualTo("vmw_o");
    }

    @Test
    void jsonCountsFindingsByRule() throws Exception {
        JsonNode json = new ObjectMapper().readTree(render(ReportFormat.JSON));
        assertThat(json.at("/summary/findings").asInt()).isEqualTo(2);
        assertThat(json.at("/summary/byRule/vmware.input-upper-bits").asInt()).isEqualTo(1);
        assertThat(json.at("/results/1/findings/0/location").asText()).isEqualTo("vmw_probe+0x1c");
    }

    @Test
    void failOnLevels() {
        assertThat(FailOn.ERROR.fails(Optional.of(Severity.WARNING))).isFalse();
        assertThat(FailOn.WARNING.fails(Optional.of(Severity.WARNING))).isTrue();
        assertThat(FailOn.ERROR.fails(Optional.of(Severity.ERROR))).isTrue();
        assertThat(FailOn.NEVER.fails(Optional.of(Severity.ERROR))).isFalse();
        assertThat(FailOn.ERROR.fails(Optional.empty())).isFalse();
    }
}
