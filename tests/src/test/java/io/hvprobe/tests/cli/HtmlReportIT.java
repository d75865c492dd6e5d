package io.hvprobe.tests.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hvprobe.arch.Arch;
import io.hvprobe.report.CheckReport;
import io.hvprobe.report.ReportFormat;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Severity;
import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML pages opened in a real browser (Debian's headless chromium over the DevTools protocol): the samples'
 * check report shows the JSON report's counts, a finding opens on a click, the filters select, a GuestRPC run is
 * drawn as a sequence diagram, and a hostile object's names and a hostile guestinfo value stay text. Screenshots
 * of the overview, a finding and the sequence diagram are kept under {@code target/html-report-it/}.
 */
class HtmlReportIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHOTS = Path.of("target/html-report-it");
    private static final List<String> OBJECTS = List.of("x86_64/gcc/O2/bugs-port.o", "x86_64/gcc/O2/rpc-port.o",
            "x86_64/gcc/O2/detect-port.o", "arm64/gcc/O2/detect-hvc.o");
    /** Sets {@code window.pwned} if the page ever runs it. */
    private static final String HOSTILE = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>\"'";

    private static Chromium browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrowser() throws Exception {
        Files.createDirectories(SHOTS);
        browser = Chromium.start(Path.of("target/chromium-profile"));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theSamplesCheckReportShowsTheJsonReportsCountsAndAFindingOpensOnAClick() throws Exception {
        Path tree = dir.resolve("matrix");
        for (String rel : OBJECTS) {
            Files.createDirectories(tree.resolve(rel).getParent());
            Files.copy(Hvprobe.sample(rel), tree.resolve(rel));
        }
        Result json = CliRun.runSharingCheck("check", tree, "--format", "json", "-q", "--fail-on", "never");
        assertThat(json.exit()).as(json.toString()).isZero();
        Path page = dir.resolve("report.html");
        Result html = CliRun.runSharingCheck("check", tree, "--format", "html", "-o", page, "-q", "--fail-on",
                "never"); // the JSON report's check
        assertThat(html.exit()).as(html.toString()).isZero();
        JsonNode report = JSON.readTree(json.out());

        browser.open(page);
        JsonNode summary = browser.eval("({...document.getElementById('summary').dataset})");
        assertThat(summary.get("findings").asLong()).isEqualTo(report.get("summary").get("findings").asLong());
        assertThat(summary.get("functions").asLong()).isEqualTo(report.get("summary").get("functions").asLong());
        assertThat(summary.get("hypercalls").asLong()).isEqualTo(report.get("summary").get("hypercalls").asLong());
        assertThat(browser.eval("document.querySelectorAll('details.finding').length").asLong())
                .isEqualTo(report.get("summary").get("findings").asLong());
        // Each overview row: the object's findings by severity, as the JSON report's results count them.
        Map<String, Map<String, Long>> expected = new TreeMap<>();
        for (JsonNode r : report.get("results")) {
            Map<String, Long> bySeverity = expected.computeIfAbsent(r.get("object").asText(), k -> new TreeMap<>(
                    Map.of("error", 0L, "warning", 0L, "note", 0L)));
            r.get("findings").forEach(f -> bySeverity.merge(f.get("severity").asText(), 1L, Long::sum));
        }
        JsonNode rows = browser.eval("[...document.querySelectorAll('#overview tr.cell')].map(tr => ({object:"
                + " tr.dataset.object, error: +tr.querySelector('[data-count=error]').textContent, warning:"
                + " +tr.querySelector('[data-count=warning]').textContent, note:"
                + " +tr.querySelector('[data-count=note]').textContent}))");
        Map<String, Map<String, Long>> shown = new TreeMap<>();
        rows.forEach(r -> shown.put(r.get("object").asText(), new TreeMap<>(Map.of("error", r.get("error").asLong(),
                "warning", r.get("warning").asLong(), "note", r.get("note").asLong()))));
        assertThat(shown).isEqualTo(expected);
        assertThat(browser.eval("document.querySelectorAll('#overview .bar').length").asInt()).isEqualTo(OBJECTS.size());
        nonBlank(browser.screenshot(null), "overview.png");

        // Click through the first error: it opens onto its path (value set / trap / read).
        String first = "details.finding[data-severity=error]";
        assertThat(browser.eval("document.querySelector('" + first + "').open").asBoolean()).isFalse();
        browser.click(first + " > summary");
        assertThat(browser.eval("document.querySelector('" + first + "').open").asBoolean()).isTrue();
        assertThat(browser.eval("document.querySelector('" + first + " ol.path li.trap').offsetHeight").asInt())
                .isPositive();
        // Beside the path, the contract of the command the evidence names (copied in by the page's script).
        assertThat(browser.eval("document.querySelector('" + first + " .contract-ref table.contract').offsetHeight")
                .asInt()).isPositive();
        nonBlank(browser.screenshot(first), "finding.png");

        // The severity filter leaves exactly the JSON report's errors.
        long errors = expected.values().stream().mapToLong(m -> m.get("error")).sum();
        assertThat(browser.eval("(() => { const s = document.getElementById('filter-severity'); s.value = 'error';"
                + " s.dispatchEvent(new Event('change')); return [...document.querySelectorAll('details.finding')]"
                + ".filter(d => !d.hidden).length; })()").asLong()).isEqualTo(errors);
        assertThat(browser.eval("document.getElementById('shown').textContent").asText())
                .isEqualTo(String.valueOf(errors));
    }

    @Test
    void aGuestRpcRunIsASequenceDiagramOfTheHypercallLog() throws Exception {
        Object[] call = {"run", Hvprobe.sample("x86_64/gcc/O2/rpc-port.o"), "-f", "rpc_call", "--arg",
                "str:info-get guestinfo.title", "--arg", "buf:128", "--arg", "128", "--guestinfo", "title=" + HOSTILE};
        Result json = CliRun.run(with(call, "--format", "json"));
        assertThat(json.exit()).as(json.toString()).isZero();
        Result html = CliRun.run(with(call, "--format", "html"));
        assertThat(html.exit()).as(html.toString()).isZero();
        Path page = dir.resolve("run.html");
        Files.writeString(page, html.out(), StandardCharsets.UTF_8);
        List<String> commands = new ArrayList<>();
        JSON.readTree(json.out()).get("hypercalls").forEach(h -> commands.add(h.get("command").asText()));
        assertThat(commands).startsWith("MESSAGE.OPEN").endsWith("MESSAGE.CLOSE");

        browser.open(page);
        List<String> drawn = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('svg#sequence g.call')].map(g => g.dataset.command)")
                .forEach(c -> drawn.add(c.asText()));
        assertThat(drawn).isEqualTo(commands);
        // Every call is a step of the one channel's exchange, the low-bandwidth payload four bytes at a time.
        List<String> steps = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('svg#sequence g.call')]"
                + ".map(g => g.dataset.step || '')").forEach(c -> steps.add(c.asText()));
        assertThat(steps).isEqualTo(commands.stream().map(c -> c.substring("MESSAGE.".length())).toList());
        assertThat(browser.eval("[...document.querySelectorAll('svg#sequence g.exchange')].map(g =>"
                + " g.dataset.exchange)").toString()).isEqualTo("[\"GuestRPC channel 0 (RPCI)\"]");
        assertThat(browser.eval("[...document.querySelectorAll('svg#sequence g.msg text')].map(t =>"
                + " t.lastChild.textContent)").toString()).isEqualTo(JSON.writeValueAsString(List.of(
                "guest sends \"info-get guestinfo.title\" (24 bytes) →",
                "guest receives \"1 " + HOSTILE.replace("\"", "\\\"") + "\" (" + (HOSTILE.length() + 2)
                        + " bytes) ←")));
        assertThat(browser.eval("document.querySelector('svg#sequence').getBoundingClientRect().height")
                .asDouble()).isGreaterThan(100);
        // The guestinfo value came back into the guest's buffer and is shown as text, never run.
        assertThat(browser.eval("typeof window.pwned").asText()).isEqualTo("undefined");
        assertThat(browser.eval("document.querySelectorAll('script').length").asInt()).isEqualTo(1);
        assertThat(browser.eval("document.querySelectorAll('img').length").asInt()).isZero();
        assertThat(browser.eval("document.body.textContent").asText()).contains("<script>window.pwned=1</script>");
        nonBlank(browser.screenshot("svg#sequence"), "sequence.png");
    }

    @Test
    void eachTrapSiteShowsItsSourceLineWhenBuiltWithDebugInfoElseTheDisassemblyAroundIt() throws Exception {
        Path withLines = Hvprobe.sample("x86_64/gcc/O2-dwarf5/detect-port.o");
        Path ko = RealObjects.module("amd64", "ptp_vmw.ko");
        Path page = dir.resolve("sites.html");
        Result r = CliRun.run("check", withLines, ko, "--format", "html", "-o", page, "-q", "--fail-on", "never");
        assertThat(r.exit()).as(r.toString()).isZero();
        browser.open(page);
        // The -g sample: every site's code cell names its source line, the line itself marked in the text.
        JsonNode sample = browser.eval("[...document.querySelectorAll('section.object')].filter(s =>"
                + " s.dataset.object.endsWith('detect-port.o')).flatMap(s => [...s.querySelectorAll('td.code')])"
                + ".map(td => ({src: td.querySelector('.src code').textContent, at:"
                + " (td.querySelector('pre.src-text b.at') || {}).textContent || ''}))");
        assertThat(sample).hasSize(4);
        sample.forEach(site -> {
            assertThat(site.get("src").asText()).matches(".*vmw_x86\\.h:\\d+(:\\d+)?");
            assertThat(site.get("at").asText()).contains("asm volatile");
        });
        // The distribution's module has no debug information: the disassembly around its one port call.
        JsonNode real = browser.eval("[...document.querySelectorAll('section.object')].filter(s =>"
                + " s.dataset.object.endsWith('ptp_vmw.ko')).flatMap(s => [...s.querySelectorAll('td.code')])"
                + ".map(td => ({src: td.querySelectorAll('.src').length, lines: (td.querySelector('pre.asm') ||"
                + " {textContent: ''}).textContent.trim().split('\\n').length, at: (td.querySelector('pre.asm b.at')"
                + " || {}).textContent || ''}))");
        assertThat(real).hasSize(1);
        assertThat(real.get(0).get("src").asInt()).isZero();
        assertThat(real.get(0).get("at").asText()).endsWith("in eax, dx");
        assertThat(real.get(0).get("lines").asInt()).isGreaterThan(3);
        nonBlank(browser.screenshot("section.object:last-of-type table.sites"), "sites.png");
    }

    @Test
    void vmwgfxsGuestinfoRoundTripIsDrawnAsItsGuestRpcStepsWithPayloadsAndStatuses() throws Exception {
        Path page = dir.resolve("vmwgfx-guestinfo.html");
        Result r = CliRun.run("run", RealObjects.module("amd64", "vmwgfx.ko"), "-f", "vmw_host_get_guestinfo",
                "--arg", "str:guestinfo.foo", "--arg", "buf:256", "--arg", "ptr:u64=256", "--guestinfo",
                "foo=" + HOSTILE, "--format", "html", "-o", page, "-q");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEmpty();
        browser.open(page);
        JsonNode steps = browser.eval("[...document.querySelectorAll('svg#sequence g.step')].map(g => ({step:"
                + " g.dataset.step, req: g.querySelector('.req').textContent, rep: g.querySelector('.rep')"
                + ".textContent}))");
        List<String> names = new ArrayList<>();
        steps.forEach(s -> names.add(s.get("step").asText()));
        assertThat(names).containsExactly("OPEN", "SENDSIZE", "HB_OUT", "RECVSIZE", "HB_IN", "RECVSTATUS", "CLOSE");
        assertThat(steps.get(0).get("rep").asText()).matches("status=SUCCESS channel=0 cookies=0x\\p{XDigit}{8}"
                + "/0x\\p{XDigit}{8}");
        String cookies = steps.get(0).get("rep").asText().replaceAll(".*cookies=", "");
        assertThat(steps.get(1).get("req").asText()).isEqualTo("channel=0 cookies=" + cookies + " size=22");
        assertThat(steps.get(1).get("rep").asText()).isEqualTo("status=SUCCESS|HB");
        int reply = HOSTILE.length() + 2;
        assertThat(steps.get(3).get("rep").asText()).isEqualTo("status=SUCCESS|DORECV|HB size=" + reply);
        assertThat(steps.get(4).get("req").asText()).startsWith("channel=0 cookies=" + cookies + " bytes=" + reply);
        steps.forEach(s -> assertThat(s.get("rep").asText()).startsWith("status=SUCCESS"));
        JsonNode messages = browser.eval("[...document.querySelectorAll('svg#sequence g.msg')].map(g =>"
                + " ({to: g.dataset.direction, text: g.querySelector('text').lastChild.textContent}))");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("to").asText()).isEqualTo("to-hypervisor");
        assertThat(messages.get(0).get("text").asText()).isEqualTo("guest sends \"info-get guestinfo.foo\" (22 bytes) →");
        assertThat(messages.get(1).get("to").asText()).isEqualTo("to-guest");
        assertThat(messages.get(1).get("text").asText()).isEqualTo("guest receives \"1 "
                + HOSTILE.replace("\"", "\\\"") + "\" (" + reply + " bytes) ←");
        assertThat(browser.eval("typeof window.pwned").asText()).isEqualTo("undefined");
        assertThat(browser.eval("document.querySelectorAll('script').length").asInt()).isEqualTo(1);
        assertThat(browser.eval("document.querySelectorAll('img').length").asInt()).isZero();
        nonBlank(browser.screenshot("svg#sequence"), "vmwgfx-guestinfo.png");
    }

    @Test
    void aHostileSymbolNameStaysTextInTheCheckReport() throws Exception {
        Path object = hostileObject();
        Path page = dir.resolve("hostile.html");
        Result r = CliRun.run("check", object, "--format", "html", "-o", page, "-q", "--fail-on", "never");
        assertThat(r.exit()).as(r.toString()).isZero();
        browser.open(page);
        assertThat(browser.eval("typeof window.pwned").asText()).isEqualTo("undefined");
        assertThat(browser.eval("document.querySelectorAll('script').length").asInt()).isEqualTo(1);
        assertThat(browser.eval("document.querySelectorAll('img').length").asInt()).isZero();
        assertThat(browser.eval("document.querySelectorAll('details.finding').length").asInt()).isPositive();
        assertThat(browser.eval("document.querySelector('details.finding summary').textContent").asText())
                .contains(HOSTILE);
        assertThat(browser.eval("document.querySelector('table.sites td.loc').textContent").asText())
                .startsWith(HOSTILE + "+0x");
    }

    @Test
    void tenThousandFindingsOpenAndFilter() throws Exception {
        List<LocatedFinding> findings = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            findings.add(new LocatedFinding(new Finding(i % 4 == 0 ? "hvprobe.clobber.written" : "vmware.magic-wrong",
                    i % 4 == 0 ? Severity.ERROR : Severity.WARNING, "finding " + i, Map.of("register", "rbx",
                    "read-at", "f" + i + "+0x30", "command", "GETVERSION")),
                    new FindingSite("big.o", "f" + i, 0x10, Arch.X86_64, "", "vmware")));
        }
        CheckReport report = new CheckReport("test", List.of(new FunctionResult("big.o", "all", Arch.X86_64, "",
                "vmware", 10_000, 1, findings)), List.of());
        Path page = dir.resolve("big.html");
        try (Writer w = Files.newBufferedWriter(page, StandardCharsets.UTF_8)) {
            ReportFormat.HTML.write(report, w);
        }
        browser.open(page);
        // Load time is measured in docs/BENCHMARKS.md, not asserted here; printed for the record.
        System.out.println("10,000 findings: " + Files.size(page) + " bytes, load event after "
                + browser.eval("Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd)").asLong()
                + " ms");
        assertThat(browser.eval("document.querySelectorAll('details.finding').length").asInt()).isEqualTo(10_000);
        assertThat(browser.eval("(() => { const s = document.getElementById('filter-rule');"
                + " s.value = 'hvprobe.clobber.written'; s.dispatchEvent(new Event('change'));"
                + " return document.getElementById('shown').textContent; })()").asText()).isEqualTo("2500");
    }

    private static Object[] with(Object[] args, Object... more) {
        List<Object> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray();
    }

    /**
     * A GETVERSION-style port call with command 0 (a finding) in a function whose symbol name is {@link #HOSTILE}:
     * compiled under a placeholder name of the same length, then the name patched into the string table.
     */
    private Path hostileObject() throws IOException, InterruptedException {
        String placeholder = "hostile_" + "A".repeat(HOSTILE.length() - "hostile_".length());
        Path c = dir.resolve("hostile.c");
        Path o = dir.resolve("hostile.o");
        Files.writeString(c, "unsigned int " + placeholder + "(void) {\n"
                + "  unsigned int a = 0x564D5868u, b = 0, c = 0, d = 0x5658;\n"
                + "  __asm__ volatile(\"inl %%dx, %%eax\" : \"+a\"(a), \"+b\"(b), \"+c\"(c), \"+d\"(d));\n"
                + "  return a + b;\n}\n");
        Process p = new ProcessBuilder("gcc", "-c", "-O2", "-ffreestanding", "-fno-pic", "-g0",
                "-fno-asynchronous-unwind-tables", c.toString(), "-o", o.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0).as(log).isTrue();
        byte[] bytes = Files.readAllBytes(o);
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = latin.indexOf(placeholder);
        assertThat(at).isPositive();
        assertThat(latin.indexOf(placeholder, at + 1)).as("one copy, in the string table").isNegative();
        byte[] name = HOSTILE.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(name, 0, bytes, at, name.length);
        Files.write(o, bytes);
        return o;
    }

    /** Saves {@code png} and checks that it shows something: several colours, not all background. */
    private static void nonBlank(byte[] png, String name) throws IOException {
        Files.write(SHOTS.resolve(name), png);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).as(name).isNotNull();
        assertThat(img.getWidth() * img.getHeight()).as(name + " size").isGreaterThan(100 * 20);
        Set<Integer> colours = new HashSet<>();
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                if (rgb != 0xffffff) {
                    ink++;
                }
            }
        }
        assertThat(colours.size()).as(name + " colours").isGreaterThan(8);
        assertThat(ink * 100 / ((long) img.getWidth() * img.getHeight())).as(name + " % not white").isPositive();
    }
}
