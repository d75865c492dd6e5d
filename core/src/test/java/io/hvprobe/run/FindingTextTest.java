package io.hvprobe.run;

import io.hvprobe.arch.Arch;
import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Findings read as one line of text, not as nested record dumps. */
class FindingTextTest {
    private static final Finding MAGIC = new Finding("vmware.magic-wrong", Severity.ERROR,
            "EAX does not hold the backdoor magic", Map.of("observed", "0x0", "expected", "0x564d5868"));
    private static final FindingSite SITE = new FindingSite("detect-port.o", "hv_detect", 0x1c, Arch.X86_64,
            "gcc/O2", "vmware");

    @Test
    void aFindingIsSeverityMessageRuleAndEvidence() {
        assertThat(MAGIC).hasToString("error: EAX does not hold the backdoor magic [vmware.magic-wrong]"
                + " (evidence: expected=0x564d5868, observed=0x0)");
        assertThat(Finding.of("r.x", Severity.NOTE, "m").dependingOn(Dependency.INPUT_VALUES))
                .hasToString("note: m [r.x] (rests on: input values)");
    }

    @Test
    void aLocatedFindingSaysWhereFirst() {
        assertThat(new LocatedFinding(MAGIC, SITE)).hasToString("detect-port.o:hv_detect+0x1c (x86_64, gcc/O2,"
                + " profile vmware): error: EAX does not hold the backdoor magic [vmware.magic-wrong]"
                + " (evidence: expected=0x564d5868, observed=0x0)");
        assertThat(new LocatedFinding(MAGIC, SITE.withSource(new SourceLocation("vmw.c", 12, 5, "hv_detect",
                List.of())))).asString().startsWith("vmw.c:12:5 (detect-port.o:hv_detect+0x1c, x86_64, gcc/O2,");
    }

    @Test
    void aListIsOneParagraph() {
        LocatedFinding f = new LocatedFinding(MAGIC, SITE);
        assertThat(FindingText.of(List.of())).isEqualTo("no findings");
        assertThat(FindingText.of(List.of(f, f))).startsWith("2 findings: (1) detect-port.o:hv_detect+0x1c")
                .contains("; (2) detect-port.o").doesNotContain("\n").doesNotContain("LocatedFinding[");
    }
}
