package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command examples of README.md ("Using it") and docs/cli.md run verbatim: README's commands succeed (exit 0,
 * or 1 for findings) in a copy of the O2 sample directory; each {@code $ hvprobe ...} block of docs/cli.md prints
 * what the block shows, up to its {@code ...}, and exits as its {@code exit N} line says. README's first command
 * goes through the launcher as a user types it, in the copy; the others run in-process, their arguments as README
 * writes them with each path in the copy named from this fork's working directory (what README's {@code cd} does),
 * and README's {@code check}s of the same objects with the same options share the check
 * ({@link CliRun#runSharingCheck}). docs/cli.md's run in-process with matrix-relative paths
 * ({@link CliRun#workingDirectory()}).
 */
@Tag(CliRun.IN_WORKING_DIRECTORY)
class DocExamplesIT {
    private static final Pattern CLI_BLOCK = Pattern.compile("```\\n\\$ hvprobe ([^\\n]*)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void readmeCommandsRun() throws Exception {
        String readme = Files.readString(Hvprobe.launcher().getParent().resolve("README.md"));
        String block = readme.substring(readme.indexOf("## Using it"));
        block = block.substring(block.indexOf("```sh\n") + 6, block.indexOf("```\n", block.indexOf("```sh\n") + 6));
        String copy = "readme-O2";
        Path o2 = CliRun.freshDirectory(copy);
        try (var files = Files.list(Hvprobe.sample("x86_64/gcc/O2"))) {
            for (Path f : files.toList()) {
                Files.copy(f, o2.resolve(f.getFileName()));
            }
        }
        List<String> commands = block.lines().filter(l -> l.startsWith("$H ")).toList();
        assertThat(commands).hasSizeGreaterThan(8);
        String launched = commands.getFirst().replaceAll("\\s+#.*$", "");
        Process p = new ProcessBuilder("bash", "-c", "H=" + Hvprobe.launcher() + "; " + launched)
                .directory(o2.toFile()).redirectErrorStream(true).start();
        String launcherOut = new String(p.getInputStream().readAllBytes());
        int launcherExit = p.waitFor();
        assertThat(launcherExit).as(launched + "\n" + launcherOut).isIn(0, 1);
        assertThat(launcherOut).as(launched).doesNotContain("hvprobe: unknown", "hvprobe: no such", "internal error");
        for (String line : commands.subList(1, commands.size())) {
            String command = line.replaceAll("\\s+#.*$", "");
            // Split as bash would: nothing to quote, expand or redirect.
            assertThat(command.substring("$H ".length())).as(command).doesNotContainPattern("[\"'`\\\\$|&;<>*?()]");
            List<Object> args = new ArrayList<>();
            List<String> words = splitArgs(command.substring("$H ".length()));
            for (int i = 0; i < words.size(); i++) {
                String w = words.get(i);
                boolean path = w.equals(".") || Files.exists(o2.resolve(w)) && !w.startsWith("-")
                        || i > 0 && words.get(i - 1).equals("-o");
                args.add(!path ? w : w.equals(".") ? copy : copy + "/" + w);
            }
            Result r = words.getFirst().equals("check") ? CliRun.runSharingCheck(args.toArray())
                    : CliRun.run(args.toArray());
            assertThat(r.exit()).as(command + "\n" + r).isIn(0, 1);
            assertThat(r.out() + r.err()).as(command).doesNotContain("hvprobe: unknown", "hvprobe: no such",
                    "internal error");
        }
    }

    @Test
    void cliReferenceExamplesPrintWhatTheyShow() throws Exception {
        String doc = Files.readString(Hvprobe.launcher().getParent().resolve("docs/cli.md"));
        CliRun.workingDirectory();
        Matcher m = CLI_BLOCK.matcher(doc);
        int checked = 0;
        while (m.find()) {
            List<Object> args = new ArrayList<>(splitArgs(m.group(1)));
            List<String> shown = m.group(2).lines().toList();
            Result r = CliRun.run(args.toArray());
            List<String> expected = new ArrayList<>();
            Integer exit = shown.stream().filter(l -> l.matches("exit \\d")).findFirst()
                    .map(l -> Integer.parseInt(l.substring(5))).orElse(null);
            for (String l : shown) {
                if (l.equals("...") || l.equals("  ...") || l.matches("exit \\d")) {
                    break;
                }
                expected.add(l);
            }
            assertThat(r.out().lines().limit(expected.size()).toList()).as("$ hvprobe " + m.group(1))
                    .isEqualTo(expected);
            assertThat(r.exit()).as("$ hvprobe " + m.group(1) + "\n" + r).isEqualTo(exit == null ? 0 : exit);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(6);
    }

    private static List<String> splitArgs(String line) {
        List<String> out = new ArrayList<>();
        for (String w : line.trim().split("\\s+")) {
            out.add(w);
        }
        return out;
    }
}
