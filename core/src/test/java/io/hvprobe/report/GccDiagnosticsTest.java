package io.hvprobe.report;

import io.hvprobe.arch.Arch;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text report as editors read compiler output: VS Code's {@code $gcc} problem matcher (ms-vscode.cpptools)
 * and vim's default 'errorformat' (real vim, {@code cgetfile}).
 */
class GccDiagnosticsTest {
    /** The {@code $gcc} pattern as ms-vscode.cpptools defines it: file 1, line 2, column 3, severity 4, message 5. */
    static final Pattern VSCODE_GCC =
            Pattern.compile("^(.*?):(\\d+):(\\d*):?\\s+(?:fatal\\s+)?(warning|error):\\s+(.*)$");

    private static final SourceLocation INLINED = new SourceLocation("src/bugs_x86_64.c", 419, 12, "balloon_esi_kept",
            List.of(new SourceLocation.InlineFrame("src/bugs_x86_64.c", 435, 5, "bug_balloon_assumes_esi_kept")));

    private static CheckReport report() {
        FindingSite object = new FindingSite("x86_64/gcc/O2/bugs-port.o", "bug_balloon_assumes_esi_kept", 0x29,
                Arch.X86_64, "x86_64/gcc/O2", "vmware");
        Finding undefined = new Finding("hvprobe.undefined-consumed", Severity.ERROR,
                "the result depends on rsi after BALLOON.START, which the hypervisor leaves undefined",
                Map.of("register", "rsi", "read-at", "bug_balloon_assumes_esi_kept+0x30 (lea rax, [rbx + rsi])"));
        Finding mayChange = Finding.of("hvprobe.clobber.may-change", Severity.WARNING,
                "rsi is live across the trap but BALLOON.GET_TARGET may change it");
        Finding noSource = Finding.of("vmware.magic-wrong", Severity.ERROR, "EAX does not hold the magic");
        List<LocatedFinding> vmware = List.of(new LocatedFinding(undefined, object.withSource(INLINED)),
                new LocatedFinding(mayChange, new FindingSite("x86_64/gcc/O2/bugs-port.o",
                        "bug_balloon_assumes_esi_kept", 0x31, Arch.X86_64, "x86_64/gcc/O2", "vmware")
                        .withSource(SourceLocation.of("src/bugs_x86_64.c", 431, 0,
                        "bug_balloon_assumes_esi_kept"))),
                new LocatedFinding(noSource, new FindingSite("x86_64/gcc/O2/bugs-port.o", "bug_magic", 0x10,
                        Arch.X86_64, "x86_64/gcc/O2", "vmware")));
        List<LocatedFinding> qemu = vmware.stream()
                .map(f -> new LocatedFinding(f.finding(), f.site().withProfile("qemu-vmport"))).toList();
        return new CheckReport("test", List.of(
                new FunctionResult("x86_64/gcc/O2/bugs-port.o", "bug_balloon_assumes_esi_kept", Arch.X86_64,
                        "x86_64/gcc/O2", "vmware", 3, 40, vmware),
                new FunctionResult("x86_64/gcc/O2/bugs-port.o", "bug_balloon_assumes_esi_kept", Arch.X86_64,
                        "x86_64/gcc/O2", "qemu-vmport", 3, 40, qemu)), List.of());
    }

    private static List<String> text(CheckReport report) throws Exception {
        StringWriter out = new StringWriter();
        ReportFormat.TEXT.write(report, out);
        return out.toString().lines().toList();
    }

    @Test
    void withASourceTheFirstLineIsGccsAndTheObjectFollowsIndented() throws Exception {
        assertThat(text(report())).startsWith(
                "src/bugs_x86_64.c:419:12: error: the result depends on rsi after BALLOON.START, which the"
                        + " hypervisor leaves undefined [hvprobe.undefined-consumed]",
                "src/bugs_x86_64.c:435:5: note: balloon_esi_kept inlined into bug_balloon_assumes_esi_kept here",
                "  at x86_64/gcc/O2/bugs-port.o:bug_balloon_assumes_esi_kept+0x29 (profiles qemu-vmport, vmware;"
                        + " variant x86_64/gcc/O2)",
                "src/bugs_x86_64.c:431: warning: rsi is live across the trap but BALLOON.GET_TARGET may change it"
                        + " [hvprobe.clobber.may-change]");
    }

    @Test
    void vsCodesGccMatcherFindsEveryFindingWithASourceAtItsPosition() throws Exception {
        List<String> lines = text(report());
        List<Matcher> matched = lines.stream().map(VSCODE_GCC::matcher).filter(Matcher::matches).toList();

        assertThat(matched).hasSize(2);
        assertThat(matched.get(0).group(1)).isEqualTo("src/bugs_x86_64.c");
        assertThat(matched.get(0).group(2)).isEqualTo("419");
        assertThat(matched.get(0).group(3)).isEqualTo("12");
        assertThat(matched.get(0).group(4)).isEqualTo("error");
        assertThat(matched.get(0).group(5)).endsWith("[hvprobe.undefined-consumed]");
        assertThat(matched.get(1).group(2)).isEqualTo("431");
        assertThat(matched.get(1).group(4)).isEqualTo("warning");
    }

    @Test
    void vimsDefaultErrorformatTakesExactlyTheSourcePositions(@TempDir Path dir) throws Exception {
        List<String> valid = vimValidEntries(dir, text(report()));

        assertThat(valid).containsExactly(
                "src/bugs_x86_64.c|419|12| error: the result depends on rsi after BALLOON.START, which the"
                        + " hypervisor leaves undefined [hvprobe.undefined-consumed]",
                "src/bugs_x86_64.c|435|5| note: balloon_esi_kept inlined into bug_balloon_assumes_esi_kept here",
                "src/bugs_x86_64.c|431|0| warning: rsi is live across the trap but BALLOON.GET_TARGET may change it"
                        + " [hvprobe.clobber.may-change]");
    }

    @Test
    void withoutASourceNoEditorMistakesTheOffsetForALine(@TempDir Path dir) throws Exception {
        List<String> lines = text(report().with(ReportSettings.defaults().withVerbose(true)));
        String objectLine = "x86_64/gcc/O2/bugs-port.o:bug_magic+0x10: error: EAX does not hold the magic"
                + " [vmware.magic-wrong]";

        assertThat(lines).contains(objectLine, "    register=rsi");
        assertThat(VSCODE_GCC.matcher(objectLine).matches()).isFalse();
        assertThat(vimValidEntries(dir, lines)).hasSize(3).noneMatch(e -> e.contains("bugs-port.o"));
    }

    @Test
    void linesStayUnder200Characters() throws Exception {
        assertThat(text(report().with(ReportSettings.defaults().withVerbose(true))))
                .allSatisfy(l -> assertThat(l.length()).isLessThan(200));
    }

    @Test
    void aLongMessageEndsItsFirstLineWithTheRuleAndContinuesIndented(@TempDir Path dir) throws Exception {
        String message = "r9 holds 0x0 loaded from 0x60000000 at bug_hb_in_no_memory_clobber+0x110 before the trap;"
                + " MESSAGE.HB_IN wrote 0x31 there, but the code uses the stale copy at"
                + " bug_hb_in_no_memory_clobber+0x15a (missing \"memory\" clobber?)";
        FindingSite site = new FindingSite("x86_64/gcc/O2/bugs-port.o", "bug_hb_in_no_memory_clobber", 0x135,
                Arch.X86_64, "", "").withSource(SourceLocation.of("/home/me/src/firmware/bugs_x86_64.c", 512, 9,
                "bug_hb_in_no_memory_clobber"));
        CheckReport report = new CheckReport("test", List.of(new FunctionResult("x86_64/gcc/O2/bugs-port.o",
                "bug_hb_in_no_memory_clobber", Arch.X86_64, "", "", 1, 1, List.of(new LocatedFinding(
                Finding.of("hvprobe.memory-clobber-missing", Severity.ERROR, message), site)))), List.of());

        List<String> lines = text(report);

        assertThat(lines.getFirst()).isEqualTo("/home/me/src/firmware/bugs_x86_64.c:512:9: error: r9 holds 0x0 loaded"
                + " from 0x60000000 at bug_hb_in_no_memory_clobber+0x110 before the trap [hvprobe.memory-clobber-missing]");
        assertThat(lines.get(1)).isEqualTo("  MESSAGE.HB_IN wrote 0x31 there, but the code uses the stale copy at"
                + " bug_hb_in_no_memory_clobber+0x15a (missing \"memory\" clobber?)");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(200));
        assertThat(VSCODE_GCC.matcher(lines.getFirst()).matches()).isTrue();
        assertThat(vimValidEntries(dir, lines)).hasSize(1);
    }

    /** The quickfix entries vim's default errorformat makes valid, as {@code file|line|col|text}. */
    static List<String> vimValidEntries(Path dir, List<String> lines) throws Exception {
        Path vim = Path.of("/usr/bin/vim");
        assertThat(vim).as("vim (Debian package vim) is needed to check the errorformat").isExecutable();
        Path in = Files.write(dir.resolve("report.txt"), lines);
        Path out = dir.resolve("quickfix.txt");
        Process p = new ProcessBuilder(vim.toString(), "-u", "NONE", "-i", "NONE", "-N", "-es",
                "-c", "set errorformat&", "-c", "cgetfile " + in,
                "-c", "call writefile(map(filter(getqflist(), 'v:val.valid'), {_, v -> bufname(v.bufnr) . '|'"
                        + " . v.lnum . '|' . v.col . '|' . v.text}), '" + out + "')",
                "-c", "qa!").redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("vim finished").isTrue();
        assertThat(p.exitValue()).as("vim exit status").isZero();
        return Files.readAllLines(out);
    }
}
