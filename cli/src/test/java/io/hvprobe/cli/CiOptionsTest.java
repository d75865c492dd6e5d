package io.hvprobe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Typos are named with the nearest correct word; project configuration and baselines are read strictly. */
class CiOptionsTest {
    @TempDir
    Path dir;

    private record Outcome(int exit, String err) {
    }

    private static Outcome execute(String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return new Outcome(cl.execute(args), err.toString());
    }

    @Test
    void aMisspelledCommandGetsADidYouMean() {
        Outcome o = execute("chek", "x.o");
        assertThat(o.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(o.err()).startsWith("hvprobe: unknown command 'chek' (did you mean 'check'?)\n");
    }

    @Test
    void aMisspelledOptionIsNamedAsUnknownBeforeTheRequiredOneItHides() {
        Outcome o = execute("run", "x.o", "--functon", "hv_detect");
        assertThat(o.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(o.err()).startsWith("hvprobe: unknown option '--functon' (did you mean '--function'?)\n");
        assertThat(execute("check", "x.o", "--fail-on=warnin", "--formt", "json").err())
                .startsWith("hvprobe: unknown option '--formt' (did you mean '--format'?)");
    }

    @Test
    void optionValuesThatStartWithADashAreNotTakenForOptions() {
        assertThat(execute("run", "x.o", "-f", "f", "--arg", "-1").err()).doesNotContain("unknown option");
    }

    @Test
    void suppressingAnUnknownRuleIsAUsageErrorWithTheNearestRule() {
        Outcome o = execute("check", "x.o", "--suppress", "hvprobe.redundant-sav");
        assertThat(o.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(o.err()).startsWith("hvprobe: unknown rule 'hvprobe.redundant-sav' in --suppress"
                + " (did you mean 'hvprobe.redundant-save'?)");
        assertThat(execute("check", "x.o", "--suppress", "vmware.port-wrong@probe").err())
                .doesNotContain("unknown rule");
    }

    @Test
    void didYouMeanOnlyOffersNearWords() {
        assertThat(DidYouMean.closest("chek", List.of("check", "run", "trace"))).contains("check");
        assertThat(DidYouMean.closest("dsiasm", List.of("disasm", "scan"))).contains("disasm");
        assertThat(DidYouMean.closest("frobnicate", List.of("check", "run"))).isEmpty();
    }

    @Test
    void theProjectConfigurationIsFoundUpwardAndSelectsObjects() throws Exception {
        Files.writeString(dir.resolve(".hvprobe.yaml"), """
                profiles: [vmware, qemu-vmport]
                suppress: [hvprobe.redundant-save]
                fail-on: warning
                exclude: ["**/test/**"]
                """);
        Path deep = Files.createDirectories(dir.resolve("a/b"));

        ProjectConfig c = ProjectConfig.find(deep).orElseThrow();

        assertThat(c.file()).isEqualTo(dir.resolve(".hvprobe.yaml").toAbsolutePath());
        assertThat(c.profiles()).containsExactly("vmware", "qemu-vmport");
        assertThat(c.failOn()).isEqualTo("warning");
        assertThat(c.selects("build/x86_64/vmw.o")).isTrue();
        assertThat(c.selects("build/test/x86_64/vmw.o")).isFalse();
    }

    @Test
    void aConfigurationWithAnUnknownKeyNamesTheFileAndTheNearestKey() throws Exception {
        Path f = Files.writeString(dir.resolve(".hvprobe.yaml"), "suppres: [hvprobe.redundant-save]\n");
        assertThatThrownBy(() -> ProjectConfig.read(f)).isInstanceOf(InputError.class)
                .hasMessage(f + ": unknown key 'suppres' (did you mean 'suppress'?)");
    }

    @Test
    void aBaselineIsTheFingerprintsOfAnEarlierSarifReport() throws Exception {
        Path sarif = Files.writeString(dir.resolve("old.sarif"), """
                {"version": "2.1.0", "runs": [{"results": [
                  {"ruleId": "a", "partialFingerprints": {"hvprobe/v1": "abc:1"}},
                  {"ruleId": "b", "partialFingerprints": {"other": "x"}}]}]}
                """);
        assertThat(Baseline.read(sarif)).isEqualTo(Set.of("abc:1"));
        Path notSarif = Files.writeString(dir.resolve("r.txt"), "x.o:f+0x1: error: ...");
        assertThatThrownBy(() -> Baseline.read(notSarif)).isInstanceOf(InputError.class)
                .hasMessageStartingWith(notSarif + ": not a SARIF file");
    }
}
