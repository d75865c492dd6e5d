package io.hvprobe.report;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.X86Register;
import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.Reach;
import io.hvprobe.coverage.SiteCode;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.coverage.SiteKind;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RegisterContract;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTML page: counts as the other formats count, the path of a finding, and nothing a hostile object can inject. */
class HtmlReportTest {
    private static final String HOSTILE_OBJECT = "x\"><script>alert(1)</script>.o";
    private static final String HOSTILE_FUNCTION = "f'<img src=x onerror=alert(2)>";

    private static CheckReport report(String object, String function, String guestString) {
        FindingSite site = new FindingSite(object, function, 0x29, Arch.X86_64, "", "vmware");
        LocatedFinding clobber = new LocatedFinding(new Finding("hvprobe.clobber.may-change", Severity.WARNING,
                "rsi is live across the trap but " + guestString + " may change it",
                Map.of("set-at", "function entry", "read-at", function + "+0x30 (lea rax, [rbx + rsi])",
                        "command", "BALLOON.GET_TARGET", "register", "rsi", "reply", guestString)), site);
        LocatedFinding consumed = new LocatedFinding(new Finding("hvprobe.undefined-consumed", Severity.ERROR,
                "the result depends on rdx", Map.of("trap", function + "+0x16", "consumed-at", function + "+0x29")),
                site);
        FunctionResult r = new FunctionResult(object, function, Arch.X86_64, "", "vmware", 2, 19,
                List.of(clobber, consumed));
        FunctionResult clean = new FunctionResult(object, "clean", Arch.X86_64, "", "vmware", 1, 7, List.of());
        ObjectCoverage c = new ObjectCoverage(object, Arch.X86_64, "", "vmware", List.of(
                new SiteCoverage(function + "+0x16", 0x16, "IN", SiteKind.HYPERCALL, Optional.of(Reach.ENTRY), "",
                        new SiteCode.Source(new SourceLocation("/src/" + guestString + ".c", 12, 5, function,
                                List.of(new SourceLocation.InlineFrame("/src/caller.c", 40, 3, "caller"))),
                                List.of(new SiteCode.TextLine(11, "  a = 0x564D5868;"),
                                        new SiteCode.TextLine(12, "  asm(\"inl %%dx\"); /* " + guestString + " */"),
                                        new SiteCode.TextLine(13, "  return a;")))),
                new SiteCoverage(function + "+0x29", 0x29, "IN", SiteKind.HYPERCALL, Optional.of(Reach.FORCED),
                        "steered " + guestString, new SiteCode.Disassembly(List.of(
                                new SiteCode.CodeLine(0x24, "mov eax, 0x564d5868", false),
                                new SiteCode.CodeLine(0x29, "in eax, dx", true),
                                new SiteCode.CodeLine(0x2a, "call " + guestString, false)))),
                new SiteCoverage("clean+0x4", 0x44, "IN", SiteKind.HYPERCALL, Optional.empty(),
                        "no run of this check reached it")));
        return new CheckReport("0.1.0", List.of(r, clean), List.of(new RuleDescriptor("hvprobe.undefined-consumed",
                Severity.ERROR, "undefined value consumed")), ReportSettings.defaults(), List.of(c));
    }

    private static String html(CheckReport report) throws Exception {
        StringWriter out = new StringWriter();
        ReportFormat.HTML.write(report, out);
        return out.toString();
    }

    @Test
    void overviewCountsFindingsBySeverityAndHypercallSitesReached() throws Exception {
        String page = html(report("bugs.o", "bug", "GETVERSION"));
        assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
                .contains("data-findings=\"2\"", "data-functions=\"2\"", "data-hypercalls=\"3\"")
                .contains("<td class=\"n\" data-count=\"error\">1</td>",
                        "<td class=\"n\" data-count=\"warning\">1</td>", "<td class=\"n\" data-count=\"note\">0</td>")
                .contains("2/3 (1 forced)")
                .contains("<td class=\"unreached\">not reached</td>", "<td class=\"forced\">forced</td>");
    }

    @Test
    void aFindingShowsItsPathFromWhereTheValueWasSetThroughTheTrapToWhereItWasRead() throws Exception {
        String page = html(report("bugs.o", "bug", "GETVERSION"));
        String clobber = page.substring(page.indexOf("data-rule=\"hvprobe.clobber.may-change\""));
        clobber = clobber.substring(0, clobber.indexOf("</details>"));
        assertThat(clobber).containsSubsequence("<b>value set</b><code>function entry</code>",
                "<li class=\"trap\"><b>trap</b><code>bug+0x29</code>", "command <code>BALLOON.GET_TARGET</code>",
                "<b>read</b><code>bug+0x30 (lea rax, [rbx + rsi])</code>");
        String consumed = page.substring(page.indexOf("data-rule=\"hvprobe.undefined-consumed\""));
        assertThat(consumed.substring(0, consumed.indexOf("</details>")))
                .contains("<b>trap</b><code>bug+0x16</code>", "<b>consumed</b><code>bug+0x29</code>");
    }

    @Test
    void theContractOfTheCommandAFindingNamesStandsBesideItsPath() throws Exception {
        RegisterContract port = new RegisterContract("BALLOON.GET_TARGET (port)", Arch.X86_64, Map.of(
                X86Register.RSI, new RegisterContract.Role(0, RegisterContract.Effect.MAY_CHANGE, 0, "scratch")));
        RegisterContract hvc = new RegisterContract("BALLOON.GET_TARGET (hvc)", Arch.ARM64, Map.of());
        StringWriter out = new StringWriter();
        ReportFormat.HTML.write(report("bugs.o", "bug", "x"), List.of(new CommandDescriptor(1,
                "BALLOON.GET_TARGET", "balloon get_target", List.of(port, hvc))), out);
        String page = out.toString();
        String clobber = page.substring(page.indexOf("data-rule=\"hvprobe.clobber.may-change\""));
        assertThat(clobber.substring(0, clobber.indexOf("</details>"))).containsSubsequence("<ol class=\"path\">",
                "<div class=\"contract-ref\" data-contracts=\"k-0\"><a href=\"#k-0\">contract BALLOON.GET_TARGET"
                        + " (port)</a>").doesNotContain("(hvc)");
        String consumed = page.substring(page.indexOf("data-rule=\"hvprobe.undefined-consumed\""));
        assertThat(consumed.substring(0, consumed.indexOf("</details>"))).doesNotContain("contract");
        // The table itself once, after the trap sites, where the reference points.
        assertThat(page.split("<table class=\"contract\">", -1)).hasSize(2);
        assertThat(page).containsSubsequence("<h2 id=\"sites-title\">", "<div class=\"contract-def\" id=\"k-0\">",
                "contract <code>BALLOON.GET_TARGET (port)</code>", "<td class=\"loc\">rsi</td>",
                "<td>may change</td><td>scratch</td>");
        assertThat(html(report("bugs.o", "bug", "x"))).as("without contracts").doesNotContain("class=\"contract\"");
    }

    @Test
    void eachTrapSiteShowsItsSourceLineOrElseTheDisassemblyAroundIt() throws Exception {
        String page = html(report("bugs.o", "bug", "x"));
        String sites = page.substring(page.indexOf("<h2 id=\"sites-title\">"));
        assertThat(sites).containsSubsequence(
                "<td class=\"code\"><div class=\"src\"><code>/src/x.c:12:5</code> in <code>bug</code>, inlined into"
                        + " <code>caller at /src/caller.c:40</code></div>",
                "<pre class=\"code src-text\">   11    a = 0x564D5868;\n<b class=\"at\">   12    asm(", "   13    return a;",
                "<pre class=\"code asm\">      24  mov eax, 0x564d5868\n<b class=\"at\">      29  in eax, dx</b>\n",
                "      2a  call x\n</pre>",
                "<td class=\"code\"><span class=\"none\">no code</span></td>");
    }

    @Test
    void theSameReportGivesTheSameBytes() throws Exception {
        assertThat(html(report("bugs.o", "bug", "x"))).isEqualTo(html(report("bugs.o", "bug", "x")));
    }

    @Test
    void namesAndStringsFromAHostileObjectAreEscapedEverywhere() throws Exception {
        String page = html(report(HOSTILE_OBJECT, HOSTILE_FUNCTION, "'\"</details></summary><script>x()</script>"));
        assertThat(page.split("<script", -1)).as("only the page's own script").hasSize(2);
        assertThat(page).doesNotContain("<img", "</script>.o", "onerror=alert(2)>")
                .contains("x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;.o")
                .contains("f&#39;&lt;img src=x onerror=alert(2)&gt;")
                .contains("&#39;&quot;&lt;/details&gt;&lt;/summary&gt;&lt;script&gt;x()&lt;/script&gt;");
        // The trap sites' code: a source path, a source line and a disassembly operand holding the same string.
        String escaped = "&#39;&quot;&lt;/details&gt;&lt;/summary&gt;&lt;script&gt;x()&lt;/script&gt;";
        assertThat(page).contains("<code>/src/" + escaped + ".c:12:5</code>", "/* " + escaped + " */",
                "call " + escaped + "\n");
        assertThat(page.split("</details>", -1)).as("one per finding").hasSize(3);
    }

    @Test
    void thePageNeedsNoNetwork() throws Exception {
        String page = html(report("bugs.o", "bug", "x"));
        assertThat(page).doesNotContain("http:", "https:", " src=\"", " href=\"http", "@import", "url(")
                .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;;");
    }
}
