package io.hvprobe.cli;

import io.hvprobe.report.FailOn;
import io.hvprobe.report.ShardMerge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hvprobe merge}: the reports of {@code check --shard I/N} joined into the report of the unsharded check. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Join the JSON, SARIF or JUnit reports of the N shards of one check (check --shard I/N), given"
                + " in any order, into the report the unsharded check writes: the same bytes, totals and exit"
                + " status.",
        footer = {"", "Examples:",
                "  hvprobe merge shard-*.sarif -o hvprobe.sarif",
                "  hvprobe merge shard-1.json shard-2.json shard-3.json --fail-on warning",
                "", "Exit status: 0 no findings at or above --fail-on (JUnit: no failures), 1 findings, 2 usage,"
                + " 3 input (unreadable report, not a shard report, shards missing, repeated or of different"
                + " checks), 4 internal."})
final class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "REPORT", description = "The shard reports, all of one format.")
    List<String> reports;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the merged report to FILE.")
    String output;

    @Option(names = "--fail-on", paramLabel = "LEVEL", converter = EnumWords.FailOnLevels.class,
            completionCandidates = EnumWords.FailOnLevels.class,
            description = "${COMPLETION-CANDIDATES}: the exit status of JSON and SARIF merges, as check's --fail-on"
                    + " (default: .hvprobe.yaml's fail-on, else error). JUnit reports count their failures under the"
                    + " shards' own --fail-on.")
    FailOn failOn;

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OutputTarget.requireWritable(output);
        List<ShardMerge.Input> inputs = new ArrayList<>();
        for (String name : reports) {
            Path p = GuestObjects.existing(name);
            try {
                inputs.add(new ShardMerge.Input(name, Files.readString(p, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new InputError("cannot read " + name + ": " + e.getMessage(), e);
            }
        }
        ShardMerge.Merged merged;
        try {
            merged = ShardMerge.merge(inputs, failOn != null ? failOn : configuredFailOn());
        } catch (ShardMerge.MergeException e) {
            throw new InputError(e.getMessage(), e);
        }
        try (Writer w = OutputTarget.writer(output)) {
            w.write(merged.text());
        } catch (IOException e) {
            throw OutputTarget.writeFailure(output, new java.io.UncheckedIOException(e));
        }
        return merged.fails() ? Main.EXIT_FINDINGS : Main.EXIT_OK;
    }

    /** The nearest .hvprobe.yaml's fail-on, as check reads it; error when there is none. */
    private static FailOn configuredFailOn() {
        return ProjectConfig.find(Path.of("")).flatMap(p -> java.util.Optional.ofNullable(p.failOn())
                .map(word -> EnumWords.parse(FailOn.class, word).orElseThrow(() -> new InputError(p.file()
                        + ": unknown fail-on '" + word + "' (one of " + String.join(", ", EnumWords.words(FailOn.class))
                        + ")")))).orElse(FailOn.ERROR);
    }
}
