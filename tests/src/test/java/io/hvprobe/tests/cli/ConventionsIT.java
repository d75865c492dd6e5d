package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Conventions: terminal progress and colour, NO_COLOR, --color, --verbose, help, completion. What needs a terminal,
 * an environment of its own or the start-up cache goes through the launcher ({@link Hvprobe}); the rest runs in
 * this JVM ({@link CliRun}).
 */
class ConventionsIT {
    private static final String ESC = "\u001b[";
    private static final String RED_ERROR = ESC + "1;31merror" + ESC + "0m: ";

    @TempDir
    Path dir;

    @Test
    void onATerminalCheckDrawsAProgressBarAndColoursSeverities() {
        Result r = Hvprobe.onTerminal(null, Map.of(), "check", Hvprobe.sample("x86_64/gcc/O2/bugs-port.o"),
                Hvprobe.sample("x86_64/gcc/O2/detect-port.o"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("\r" + ESC + "K[###############...............] 1/2 ")
                .contains("] 2/2 ").contains(RED_ERROR).doesNotContain("checked 2/2 objects");
    }

    @Test
    void theFirstRunOfAGuestAfterABuildRecordsTheStartUpCacheWithoutAWordOnStdoutOrStderr() throws Exception {
        Path jar = dir.resolve("hvprobe.jar");
        Files.copy(Hvprobe.launcher().getParent().resolve("cli/target/hvprobe.jar"), jar);
        Map<String, String> env = Map.of("HVPROBE_JAR", jar.toString());
        Object[] run = {"run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect", "--format", "json"};

        // A version (or help, completion, a usage error) would make a cache without the classes of a run: none.
        Result version = Hvprobe.runWith(null, env, "--version");
        assertThat(version.exit()).as(version.toString()).isZero();
        assertThat(dir.resolve("hvprobe.aot")).doesNotExist();

        Result first = Hvprobe.runWith(null, env, run);
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.err()).isEmpty();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(first.out()).get("function").asText())
                .isEqualTo("hv_detect");
        assertThat(dir.resolve("hvprobe.aot")).isRegularFile();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "hvprobe.jar", "hvprobe.aot", "hvprobe.aot.java");
        }

        Result cached = Hvprobe.runWith(null, env, run);
        assertThat(cached.err()).isEmpty();
        assertThat(cached.out()).isEqualTo(first.out());
    }

    @Test
    void theCliJarHoldsNoClassFileTooOldForTheStartUpCache() throws Exception {
        // The JDK 25 AOT cache skips class files older than version 50 (Java 6); the build rewrites picocli's and
        // Capstone's (version 49) so that the cache holds them (cli/src/build/java/UpgradeOldClassFiles.java).
        Path jar = Hvprobe.launcher().getParent().resolve("cli/target/hvprobe.jar");
        List<String> old = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var entry : Collections.list(zip.entries())) {
                if (entry.getName().endsWith(".class")) {
                    try (var in = new DataInputStream(zip.getInputStream(entry))) {
                        in.readInt(); // magic
                        in.readUnsignedShort(); // minor version
                        if (in.readUnsignedShort() < 50) {
                            old.add(entry.getName());
                        }
                    }
                }
            }
        }
        assertThat(old).isEmpty();
    }

    @Test
    void withoutATerminalProgressIsPlainLinesAndThereIsNoColour() {
        Result r = CliRun.run("check", Hvprobe.sample("x86_64/gcc/O2/bugs-port.o"),
                Hvprobe.sample("x86_64/gcc/O2/detect-port.o"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("checked 2/2 objects\n");
        assertThat(r.out()).contains(": error: ").doesNotContain(ESC);
    }

    @Test
    void noColorAndColorNeverTurnColourOffOnATerminalAndColorAlwaysTurnsItOnInAPipe() {
        Object[] run = {"run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect"};
        assertThat(Hvprobe.onTerminal(null, Map.of(), run).out()).contains(ESC + "1mhv_detect" + ESC + "0m()");
        assertThat(Hvprobe.onTerminal(null, Map.of("NO_COLOR", "1"), run).out()).contains("hv_detect()")
                .doesNotContain(ESC);
        Object[] never = {"run", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"), "-f", "hv_detect", "--color", "never"};
        assertThat(Hvprobe.onTerminal(null, Map.of(), never).out()).contains("hv_detect()").doesNotContain(ESC);
        assertThat(CliRun.run("check", Hvprobe.sample("x86_64/gcc/O2/bugs-port.o"), "--color", "always", "-q").out())
                .contains(RED_ERROR);
        // Help follows --color too.
        assertThat(Hvprobe.onTerminal(null, Map.of(), "run", "--help", "--color", "never").out())
                .startsWith("Usage: hvprobe run").doesNotContain(ESC);
        assertThat(Hvprobe.onTerminal(null, Map.of(), "run", "--help").out()).contains(ESC);
    }

    @Test
    void errorsAreOneLineAndVerboseAddsTheStackTrace() {
        Path missing = dir.resolve("gone.o");
        Result plain = CliRun.run("disasm", missing, "-f", "f");
        assertThat(plain.exit()).isEqualTo(3);
        assertThat(plain.errLines()).containsExactly("hvprobe: no such file: " + missing);
        Result verbose = CliRun.run("disasm", missing, "-f", "f", "--verbose");
        assertThat(verbose.exit()).isEqualTo(3);
        assertThat(verbose.errLines().getFirst()).isEqualTo("hvprobe: no such file: " + missing);
        assertThat(verbose.errLines()).hasSizeGreaterThan(3)
                .anyMatch(l -> l.startsWith("\tat io.hvprobe.cli.DisasmCommand.call"));
    }

    @Test
    void everyCommandHasHelpWithExamplesThatFitEightyColumns() {
        for (String cmd : List.of("run", "trace", "check", "scan", "compare", "disasm", "commands",
                "generate-completion")) {
            Result r = CliRun.run(cmd, "--help");
            assertThat(r.exit()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).startsWith("Usage: hvprobe " + cmd).contains("Examples");
            String examples = r.out().substring(r.out().indexOf("Examples"));
            // An example that wraps cannot be pasted; every line of an example starts with two spaces.
            assertThat(examples.lines().skip(1).takeWhile(l -> !l.isEmpty()))
                    .as(cmd).allSatisfy(l -> assertThat(l).startsWith("  ").hasSizeLessThanOrEqualTo(80));
        }
        Result top = CliRun.run("--help");
        assertThat(top.out()).contains("Examples:").contains("Exit codes: 0 clean, 1 findings");
        Result version = CliRun.run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).matches("(?s)hvprobe \\d+\\.\\d+\\.\\d+.*\\nJava \\d+.*");
    }

    @Test
    void theGeneratedCompletionScriptCompletesCommandsOptionsAndTheirWords() throws Exception {
        Result gen = CliRun.run("generate-completion");
        assertThat(gen.exit()).isZero();
        Path script = dir.resolve("hvprobe_completion");
        Files.writeString(script, gen.out(), StandardCharsets.UTF_8);
        String probe = "source " + script + " 2>/dev/null\n"
                + "c() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _complete_hvprobe 2>/dev/null;"
                + " echo \"${COMPREPLY[*]}\"; }\n"
                + "c hvprobe tr\nc hvprobe check --format ''\nc hvprobe trace --regs ''\nc hvprobe run --fail-on w\n";
        Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.lines().toList()).containsExactly("trace", "text json sarif junit html", "changed all", "warning");
    }

    @Test
    void bashCompletionOffersTheFunctionNamesOfTheObjectOnTheLine() throws Exception {
        Result gen = CliRun.run("generate-completion", "--shell", "zsh");
        assertThat(gen.exit()).isZero();
        Path script = dir.resolve("hvprobe_completion");
        Files.writeString(script, gen.out(), StandardCharsets.UTF_8);
        String object = Hvprobe.sample("x86_64/gcc/O2/rpc-port.o").toString();
        String probe = "source " + script + " 2>/dev/null\n"
                + "c() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=();"
                + " _complete_hvprobe_and_functions 2>/dev/null; echo \"${COMPREPLY[*]}\"; }\n"
                + "c " + Hvprobe.launcher() + " disasm " + object + " -f rpc_open\n"
                + "c " + Hvprobe.launcher() + " run -f ''\n"
                + "c " + Hvprobe.launcher() + " check --suppress hvprobe.redundant\n";
        Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out.lines().toList()).containsExactly("rpc_open_close", "", "hvprobe.redundant-save");
    }

    @Test
    void fishCompletionCoversCommandsOptionWordsAndFunctionNames() {
        Result fish = CliRun.run("generate-completion", "--shell", "fish");
        assertThat(fish.exit()).isZero();
        assertThat(fish.out()).contains("complete -c hvprobe -n __fish_use_subcommand -a disasm")
                .contains("-n '__fish_seen_subcommand_from check' -l format -r -f -a 'text json sarif junit html'")
                .contains("-n '__fish_seen_subcommand_from run' -s f -l function -r -f -a '(__hvprobe_functions)'")
                .contains("$words[1] __functions \"$w\"").doesNotContain("__fish_use_subcommand -a __functions");
        Result functions = CliRun.run("__functions", Hvprobe.sample("x86_64/gcc/O2/detect-port.o"));
        assertThat(functions.out()).isEqualTo("hv_detect\nhv_product_type\n");
        assertThat(CliRun.run("__functions", "no-such.o").out()).isEmpty();
    }

    @Test
    void theBuildGeneratesManPagesForEveryCommand() throws Exception {
        Path man = Hvprobe.launcher().getParent().resolve("cli/target/man");
        for (String page : List.of("hvprobe.1", "hvprobe-check.1", "hvprobe-run.1", "hvprobe-trace.1",
                "hvprobe-scan.1", "hvprobe-compare.1", "hvprobe-disasm.1", "hvprobe-commands.1")) {
            assertThat(man.resolve(page)).as(page).isRegularFile();
        }
        assertThat(Files.readString(man.resolve("hvprobe-check.1"))).contains(".TH \"HVPROBE\\-CHECK\"")
                .contains("\\-\\-baseline");
    }
}
