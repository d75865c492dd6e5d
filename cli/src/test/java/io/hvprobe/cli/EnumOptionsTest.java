package io.hvprobe.cli;

import io.hvprobe.report.FailOn;
import io.hvprobe.report.ReportFormat;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Options that take one of a few words are typed by an enum whose lower-case constant names are the words. */
class EnumOptionsTest {

    private record Outcome(int exit, String out, String err) {
    }

    private static Outcome execute(String... args) {
        CommandLine cl = Main.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Outcome(cl.execute(args), out.toString(), err.toString());
    }

    private static List<OptionSpec> enumOptions() {
        List<OptionSpec> found = new ArrayList<>();
        for (CommandLine sub : Main.commandLine().getSubcommands().values()) {
            sub.getCommandSpec().options().stream().filter(o -> o.type().isEnum()).forEach(found::add);
        }
        return found;
    }

    @Test
    void everyEnumOptionConvertsAndCompletesTheLowerCaseWordsOfItsEnum() {
        List<OptionSpec> options = enumOptions();
        assertThat(options).extracting(o -> o.longestName()).contains("--format", "--fail-on", "--min-severity",
                "--regs", "--variant", "--color", "--shell");
        for (OptionSpec o : options) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            List<String> words = EnumWords.words((Class) o.type());
            assertThat(o.converters()).as(o.toString()).hasSize(1).allMatch(c -> c instanceof EnumWords<?>);
            assertThat(o.completionCandidates()).as(o.toString()).containsExactlyElementsOf(words);
            assertThat(String.join(" ", o.description())).as(o.toString()).contains(String.join(", ", words));
        }
    }

    @Test
    void theWordsAreTheConstantNamesInLowerCase() {
        assertThat(EnumWords.words(ReportFormat.class)).containsExactly("text", "json", "sarif", "junit", "html");
        assertThat(EnumWords.words(Severity.class)).containsExactly("note", "warning", "error");
        assertThat(EnumWords.parse(FailOn.class, "warning")).contains(FailOn.WARNING);
        assertThat(EnumWords.parse(FailOn.class, "WARNING")).isEmpty();
        assertThat(new EnumWords.TraceFormats().convert("jsonl")).isEqualTo(TraceFormat.JSONL);
    }

    @Test
    void aWordInAnotherCaseIsAUsageErrorWithPicoclisMessageNamingTheWords() {
        Outcome o = execute("scan", "x.o", "--format", "JSON");
        assertThat(o.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(o.err()).startsWith("hvprobe: Invalid value for option '--format': expected one of [text, json]"
                + " (case-sensitive) but was 'JSON'\n");
        assertThat(execute("trace", "x.o", "-f", "f", "--regs", "some").err()).startsWith("hvprobe: Invalid value for"
                + " option '--regs': expected one of [changed, all] (case-sensitive) but was 'some'\n");
        assertThat(execute("check", "x.o", "--min-severity", "Note").err()).startsWith("hvprobe: Invalid value for"
                + " option '--min-severity': expected one of [note, warning, error] (case-sensitive) but was 'Note'\n");
        assertThat(execute("generate-completion", "--shell", "tcsh").exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(execute("generate-completion", "--shell", "fish").exit()).isEqualTo(Main.EXIT_OK);
    }

    @Test
    void helpListsTheWordsAndTheDefault() {
        assertThat(execute("check", "--help").out()).contains("text, json, sarif, junit, html (default: text).");
        assertThat(execute("trace", "--help").out()).contains("text, jsonl (default: text).");
        assertThat(execute("run", "--help").out()).contains("text, json, html (default: text).");
        assertThat(execute("run", "--help").out().replaceAll("\\s+", " "))
                .contains("findings: port, vmcall, vmmcall, tdx, mrs, hvc; must match");
    }

    @Test
    void eachFormatSetIsOneMixinSharedByItsCommands() {
        CommandLine cl = Main.commandLine();
        for (String command : List.of("scan", "disasm", "commands")) {
            assertThat(cl.getSubcommands().get(command).getCommandSpec().mixins().values())
                    .as(command).anyMatch(m -> m.userObject() instanceof FormatOptions.Listing);
        }
        for (String command : List.of("run", "compare")) {
            assertThat(cl.getSubcommands().get(command).getCommandSpec().mixins().values())
                    .as(command).anyMatch(m -> m.userObject() instanceof FormatOptions.Call);
        }
        assertThat(cl.getSubcommands().get("trace").getCommandSpec().mixins().values())
                .anyMatch(m -> m.userObject() instanceof FormatOptions.Trace);
        assertThat(cl.getSubcommands().get("check").getCommandSpec().mixins().values())
                .anyMatch(m -> m.userObject() instanceof FormatOptions.Report);
    }

    @Test
    void fishDescribesEachOptionByItsFirstSentenceWithTheWordsFilledIn() {
        String fish = CompletionScripts.fish(Main.commandLine());
        assertThat(fish).contains("-l format -r -f -a 'text json sarif junit html'"
                        + " -d 'text, json, sarif, junit, html (default: text)'")
                .contains("-l profile -r -F -d 'Model profile: a built-in name (e.g. vmware, qemu-vmport) or a"
                        + " JSON/YAML profile file'")
                .doesNotContain("${");
        assertThat(CompletionScripts.first(new String[] {"Stop here. Not here."})).isEqualTo("Stop here");
    }
}
