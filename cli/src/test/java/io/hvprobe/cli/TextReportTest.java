package io.hvprobe.cli;

import io.hvprobe.arch.Arch;
import io.hvprobe.report.CheckReport;
import io.hvprobe.report.ReportFormat;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The coloured check text and run's finding lines must be the core text lines plus ANSI codes, nothing else. */
class TextReportTest {

    private static CheckReport report() {
        FindingSite site = new FindingSite("gcc/O2/x.o", "hv_detect", 0x41, Arch.X86_64, "gcc/O2", "vmware");
        LocatedFinding error = new LocatedFinding(new Finding("vmware.magic-wrong", Severity.ERROR,
                "EAX is not the magic", Map.of("observed", "0x1")), site);
        LocatedFinding note = new LocatedFinding(new Finding("hvprobe.redundant-save", Severity.NOTE,
                "rbx saved needlessly", Map.of()), new FindingSite("y.o", "f", 0, Arch.ARM64, "", "qemu-vmport"));
        return new CheckReport("test", List.of(
                new FunctionResult("gcc/O2/x.o", "hv_detect", Arch.X86_64, "gcc/O2", "vmware", 2, 24, List.of(error)),
                new FunctionResult("y.o", "f", Arch.ARM64, "", "qemu-vmport", 1, 9, List.of(note))), List.of());
    }

    @Test
    void colourOffIsExactlyTheCoreTextReport() throws Exception {
        StringWriter core = new StringWriter();
        ReportFormat.TEXT.write(report(), core);
        StringWriter ours = new StringWriter();
        TextReport.write(report(), ours, new Paint(false));
        assertThat(ours.toString()).isEqualTo(core.toString()).contains("gcc/O2/x.o:hv_detect+0x41: error: EAX is not the magic [vmware.magic-wrong]");
    }

    @Test
    void colourOnOnlyAddsAnsiCodesAroundTheSeverities() throws Exception {
        StringWriter core = new StringWriter();
        ReportFormat.TEXT.write(report(), core);
        StringWriter coloured = new StringWriter();
        TextReport.write(report(), coloured, new Paint(true));
        assertThat(coloured.toString()).contains("\u001b[1;31merror\u001b[0m: EAX is not the magic")
                .contains("\u001b[36mnote\u001b[0m: rbx saved needlessly");
        assertThat(coloured.toString().replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(core.toString());
    }

    @Test
    void runsFindingLinesAreTheReportsLinesThroughTheSamePainter() {
        LocatedFinding f = report().results().getFirst().findings().getFirst();
        List<String> plain = TextReport.lines(f, new Paint(false), true);
        assertThat(plain).containsExactlyElementsOf(io.hvprobe.report.TextReportWriter.lines(f, true))
                .contains("    observed=0x1");
        assertThat(TextReport.lines(f, new Paint(true), true).getFirst())
                .isEqualTo(plain.getFirst().replace(": error: ", ": \u001b[1;31merror\u001b[0m: "));
    }

    @Test
    void aCarriageReturnInAMessageIsKeptWhetherColourIsOnOrOff() throws Exception {
        FindingSite site = new FindingSite("x.o", "f", 1, Arch.X86_64, "", "vmware");
        LocatedFinding odd = new LocatedFinding(new Finding("hvprobe.fault", Severity.ERROR, "a\rb", Map.of()), site);
        CheckReport report = new CheckReport("test", List.of(new FunctionResult("x.o", "f", Arch.X86_64, "", "vmware",
                0, 1, List.of(odd))), List.of());
        StringWriter core = new StringWriter();
        ReportFormat.TEXT.write(report, core);
        for (boolean on : new boolean[] {false, true}) {
            StringWriter ours = new StringWriter();
            TextReport.write(report, ours, new Paint(on));
            assertThat(ours.toString().replaceAll("\u001b\\[[0-9;]*m", "")).as("colour " + on)
                    .isEqualTo(core.toString()).contains("a\rb");
        }
    }
}
