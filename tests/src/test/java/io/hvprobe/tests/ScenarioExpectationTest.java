package io.hvprobe.tests;

import io.hvprobe.manifest.FindingExpectation;
import io.hvprobe.manifest.FunctionEntry;
import io.hvprobe.manifest.Manifest;
import io.hvprobe.manifest.Mismatch;
import io.hvprobe.manifest.ReturnExpectation;
import io.hvprobe.manifest.Scenario;
import io.hvprobe.manifest.ScenarioResult;
import io.hvprobe.manifest.ScenarioRunner;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The oracle can fail: expectations that no longer hold are reported, one line each, and as findings. */
class ScenarioExpectationTest {
    private final Manifest manifest = Samples.manifest();
    private final Path root = Samples.matrix();

    private Scenario scenario(Manifest m, String object, String function, String profile) throws Exception {
        return m.scenarios(root, root.resolve(object)).stream()
                .filter(s -> s.entry().name().equals(function) && s.profile().equals(profile)).findFirst().orElseThrow();
    }

    @Test
    void aChangedReturnValueInTheManifestIsReported() throws Exception {
        FunctionEntry detect = manifest.entry("detect", "hv_detect").orElseThrow();
        Manifest stale = manifest.withEntry(detect.withBase(detect.base()
                .withReturns(new ReturnExpectation.Exactly(7, 32))));
        try (ScenarioRunner runner = new ScenarioRunner(VerifyOptions.defaults())) {
            ScenarioResult ok = runner.run(scenario(manifest, "x86_64/gcc/O2/detect-port.o", "hv_detect", "vmware"));
            assertThat(ok.passed()).isTrue();
            ScenarioResult r = runner.run(scenario(stale, "x86_64/gcc/O2/detect-port.o", "hv_detect", "vmware"));
            assertThat(r.passed()).isFalse();
            assertThat(r.mismatches()).singleElement().satisfies(m -> {
                assertThat(m.what()).isEqualTo("return");
                assertThat(m.expected()).isEqualTo("0x7");
                assertThat(m.observed()).isEqualTo("0x6");
                assertThat(m.toString()).isEqualTo(
                        "x86_64/gcc/O2/detect-port.o:hv_detect@vmware: return: expected 0x7, saw 0x6");
            });
            assertThat(r.asFindings()).singleElement().satisfies(f -> {
                assertThat(f.finding().ruleId()).isEqualTo(ScenarioResult.EXPECTATION_RULE);
                assertThat(f.site().function()).isEqualTo("hv_detect");
                assertThat(f.site().profile()).isEqualTo("vmware");
            });
        }
    }

    @Test
    void aHypercallOutputThatChangedIsReportedWithItsPlace() throws Exception {
        // The vmware block's calls checked under qemu-vmport, where GET_VCPU_INFO answers 0x8 instead of 0xA.
        Scenario q = scenario(manifest, "x86_64/gcc/O2/clock-port.o", "hv_legacy_x2apic", "qemu-vmport");
        Scenario stale = new Scenario(q.object(), q.entry(), q.profile(), q.hypervisor(), q.cpuid(),
                q.entry().base().hypercalls(), q.expectedReturn(), q.intendedReturn(), q.buffersAfter(), q.findings(),
                false, "");
        try (ScenarioRunner runner = new ScenarioRunner(VerifyOptions.defaults())) {
            assertThat(runner.run(q).passed()).isTrue();
            ScenarioResult r = runner.run(stale);
            assertThat(r.mismatches()).singleElement().satisfies(m -> {
                assertThat(m.where()).startsWith("x86_64/gcc/O2/clock-port.o:hv_legacy_x2apic@qemu-vmport "
                        + "hypercall #0 GET_VCPU_INFO at hv_legacy_x2apic+0x");
                assertThat(m.what()).isEqualTo("out0 (rax)");
                assertThat(m.expected()).isEqualTo("0xa");
                assertThat(m.observed()).isEqualTo("0x8");
            });
        }
    }

    @Test
    void aSeededBugWhoseExpectationIsDroppedShowsUpAsAnUnexpectedFinding() throws Exception {
        Scenario bug = scenario(manifest, "x86_64/gcc/O2/bugs-port.o", "bug_rpc_oversize", "vmware");
        try (ScenarioRunner runner = new ScenarioRunner(VerifyOptions.defaults())) {
            assertThat(runner.run(bug).found()).extracting(FindingExpectation::rule).containsExactly("vmware.rpc-oversize");
            ScenarioResult r = runner.run(bug.withFindings(List.of()));
            assertThat(r.unexpected()).extracting(f -> f.finding().ruleId()).containsExactly("vmware.rpc-oversize");
            assertThat(r.mismatches()).singleElement().satisfies(m -> assertThat(m.observed())
                    .startsWith("vmware.rpc-oversize@rbx: guest announced a 2147483647-byte message"));
        }
    }

    @Test
    void anUnconfirmedClobberBecomesAFindingOnlyWhenItExplainsTheResult() throws Exception {
        Scenario bug = scenario(manifest, "x86_64/gcc/O2/bugs-port.o", "bug_getversion_ebx_input_only", "vmware");
        Scenario driver = scenario(manifest, "x86_64/gcc/O2/detect-port.o", "hv_product_type", "vmware");
        try (ScenarioRunner runner = new ScenarioRunner(VerifyOptions.defaults())) {
            ScenarioResult r = runner.run(bug);
            assertThat(r.passed()).isTrue();
            assertThat(r.verification().orElseThrow().findings()).extracting(f -> f.finding().ruleId())
                    .doesNotContain("hvprobe.clobber.written");
            assertThat(r.promoted()).extracting(f -> f.finding().ruleId(), f -> f.finding().evidence().get("register"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("hvprobe.clobber.written", "rbx"));

            // A correct driver consumes its declared outputs the same way: a wrong return expectation does not
            // blame them, it is reported as the return mismatch.
            ScenarioResult d = runner.run(driver.withExpectedReturn(new ReturnExpectation.Exactly(4, 32)));
            assertThat(d.promoted()).isEmpty();
            assertThat(d.mismatches()).extracting(Mismatch::what).containsExactly("return");
        }
    }
}
