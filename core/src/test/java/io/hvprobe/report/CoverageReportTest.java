package io.hvprobe.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.arch.Arch;
import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.Reach;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.coverage.SiteKind;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.spi.RuleDescriptor;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Every report format says which trap sites the check reached, how, and why not. */
class CoverageReportTest {

    private static CheckReport report() {
        ObjectCoverage c = new ObjectCoverage("vmwgfx.ko", Arch.X86_64, "", "vmware", List.of(
                new SiteCoverage("vmw_send_msg+0xaa", 0x10000aa, "IN", SiteKind.HYPERCALL,
                        Optional.of(Reach.FORCED), "from vmw_host_printf; steered vmw_send_msg+0x40"),
                new SiteCoverage("vmw_recv_msg+0xb4", 0x10001b4, "IN", SiteKind.HYPERCALL,
                        Optional.of(Reach.LIFECYCLE), ""),
                new SiteCoverage("vmw_recv_msg+0x2fe", 0x10002fe, "INS", SiteKind.HYPERCALL, Optional.empty(),
                        "forced runs did not reach it: vmw_host_printf returned (2 branches steered)"),
                new SiteCoverage("vmw_kms_write_svga+0x62", 0x1000362, "OUT", SiteKind.DEVICE_IO, Optional.empty(),
                        "no run of this check reached it")));
        FunctionResult r = new FunctionResult("vmwgfx.ko", "vmw_host_printf", Arch.X86_64, "", "vmware", 3, 90,
                List.of());
        return new CheckReport("0.1.0", List.of(r), List.of(new RuleDescriptor(ObjectCoverage.UNREACHED_RULE,
                io.hvprobe.spi.Severity.NOTE, "A hypercall site no run reached.")), ReportSettings.defaults(),
                List.of(c));
    }

    private static String render(ReportFormat format, CheckReport report) throws Exception {
        StringWriter out = new StringWriter();
        format.write(report, out);
        return out.toString();
    }

    @Test
    void textHasTheSummaryLineAndEachUnreachedHypercallSite() throws Exception {
        assertThat(render(ReportFormat.TEXT, report()).lines().toList()).containsExactly(
                "vmwgfx.ko (x86_64, profile vmware): hypercall sites 3, reached 2 (1 forced); device I/O sites 1",
                "  not reached: vmw_recv_msg+0x2fe INS: forced runs did not reach it: vmw_host_printf returned"
                        + " (2 branches steered)",
                "1 function run(s), 3 hypercall(s), 0 finding(s)");
    }

    @Test
    void jsonListsEveryTrapSiteWithLocationAndReached() throws Exception {
        JsonNode root = new ObjectMapper().readTree(render(ReportFormat.JSON, report()));
        JsonNode object = root.get("objects").get(0);
        assertThat(object.get("object").asText()).isEqualTo("vmwgfx.ko");
        assertThat(object.get("hypercallSites").asInt()).isEqualTo(3);
        assertThat(object.get("reachedHypercallSites").asInt()).isEqualTo(2);
        JsonNode sites = object.get("trapSites");
        assertThat(sites).hasSize(4);
        assertThat(sites.get(0).get("location").asText()).isEqualTo("vmw_send_msg+0xaa");
        assertThat(sites.get(0).get("form").asText()).isEqualTo("IN");
        assertThat(sites.get(0).get("reached").asBoolean()).isTrue();
        assertThat(sites.get(0).get("how").asText()).isEqualTo("forced");
        assertThat(sites.get(0).get("forcedPath").asText()).contains("vmw_send_msg+0x40");
        assertThat(sites.get(2).get("reached").asBoolean()).isFalse();
        assertThat(sites.get(2).has("how")).isFalse();
        assertThat(sites.get(2).get("why").asText()).startsWith("forced runs did not reach it");
        assertThat(sites.get(3).get("kind").asText()).isEqualTo("device-io");
    }

    @Test
    void sarifHasANoteForEachUnreachedHypercallSiteOnly() throws Exception {
        JsonNode run = new ObjectMapper().readTree(render(ReportFormat.SARIF, report())).get("runs").get(0);
        JsonNode results = run.get("results");
        assertThat(results).hasSize(1);
        assertThat(results.get(0).get("ruleId").asText()).isEqualTo("hvprobe.unreached-site");
        assertThat(results.get(0).get("level").asText()).isEqualTo("note");
        assertThat(results.get(0).get("message").get("text").asText()).contains("vmw_recv_msg+0x2fe");
        assertThat(results.get(0).get("ruleIndex").asInt()).isEqualTo(0);
        assertThat(run.get("tool").get("driver").get("rules").get(0).get("id").asText())
                .isEqualTo("hvprobe.unreached-site");
    }

    /** The object's coverage under {@code profile} and {@code variant}, its one site unreached for {@code why}. */
    private static ObjectCoverage unreachedUnder(String variant, String profile, String why) {
        return new ObjectCoverage("x86_64/gcc/O2/kvm_hc-vmcall.o", Arch.X86_64, variant, profile, List.of(
                new SiteCoverage("kvm_yield_twice_bad+0xc", 0x100000c, "VMCALL", SiteKind.HYPERCALL,
                        Optional.empty(), why)));
    }

    private static JsonNode sarifResults(List<ObjectCoverage> coverage) throws Exception {
        CheckReport r = report().withCoverage(coverage);
        return new ObjectMapper().readTree(render(ReportFormat.SARIF, r)).at("/runs/0/results");
    }

    @Test
    void aSiteUnreachedUnderTwoProfilesIsOneSarifNoteNamingBoth() throws Exception {
        JsonNode results = sarifResults(List.of(unreachedUnder("", "vmware", "stopped at +0x9"),
                unreachedUnder("", "qemu-vmport", "stopped at +0x9")));

        assertThat(results).hasSize(1);
        JsonNode note = results.get(0);
        assertThat(note.at("/properties/profiles").toString()).isEqualTo("[\"qemu-vmport\",\"vmware\"]");
        assertThat(note.at("/message/text").asText()).isEqualTo(
                "hypercall site kvm_yield_twice_bad+0xc (VMCALL) was not reached: stopped at +0x9");
        assertThat(note.at("/partialFingerprints/hvprobe~1v1").asText())
                .isEqualTo("hvprobe.unreached-site:x86_64/gcc/O2/kvm_hc-vmcall.o:kvm_yield_twice_bad+0xc");
    }

    @Test
    void profilesThatDisagreeOnWhyEachGiveTheirReason() throws Exception {
        JsonNode results = sarifResults(List.of(unreachedUnder("", "vmware", "stopped at +0x9"),
                unreachedUnder("", "qemu-vmport", "no run reached it")));

        assertThat(results.get(0).at("/message/text").asText()).endsWith(
                "was not reached: profile qemu-vmport: no run reached it; profile vmware: stopped at +0x9");
    }

    @Test
    void eachVariantsUnreachedSiteHasItsOwnFingerprint() throws Exception {
        JsonNode results = sarifResults(List.of(unreachedUnder("vmcall", "kvm", "why"),
                unreachedUnder("vmmcall", "kvm", "why")));

        assertThat(results).hasSize(2);
        assertThat(results.findValuesAsText("hvprobe/v1")).containsExactly(
                "hvprobe.unreached-site:x86_64/gcc/O2/kvm_hc-vmcall.o:vmcall:kvm_yield_twice_bad+0xc",
                "hvprobe.unreached-site:x86_64/gcc/O2/kvm_hc-vmcall.o:vmmcall:kvm_yield_twice_bad+0xc");
    }

    @Test
    void twoSitesWithOneFunctionAndOffsetGetOccurrenceNumbers() throws Exception {
        ObjectCoverage c = new ObjectCoverage("dup.o", Arch.X86_64, "", "vmware", List.of(
                new SiteCoverage("helper+0x4", 0x1004, "VMCALL", SiteKind.HYPERCALL, Optional.empty(), "a"),
                new SiteCoverage("helper+0x4", 0x2004, "VMCALL", SiteKind.HYPERCALL, Optional.empty(), "b")));

        assertThat(sarifResults(List.of(c)).findValuesAsText("hvprobe/v1"))
                .containsExactly("hvprobe.unreached-site:dup.o:helper+0x4", "hvprobe.unreached-site:dup.o:helper+0x4:2");
    }

    @Test
    void junitSuiteCarriesTheCoverageAsProperties() throws Exception {
        String xml = render(ReportFormat.JUNIT, report());
        assertThat(xml).contains("<property name=\"trap-sites [vmware]\" value=\"hypercall sites 3, reached 2"
                + " (1 forced); device I/O sites 1\"/>");
        assertThat(xml).contains("<property name=\"unreached-site [vmware]\" value=\"vmw_recv_msg+0x2fe INS:");
        assertThat(xml.indexOf("<properties>")).isLessThan(xml.indexOf("<testcase"));
    }

    @Test
    void aReportWithoutCoverageLooksAsBefore() throws Exception {
        CheckReport plain = report().withCoverage(List.of());
        assertThat(render(ReportFormat.TEXT, plain)).doesNotContain("hypercall sites");
        assertThat(render(ReportFormat.JSON, plain)).doesNotContain("trapSites");
        assertThat(render(ReportFormat.JUNIT, plain)).doesNotContain("<properties>");
    }
}
