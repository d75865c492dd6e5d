package io.hvprobe.report;

import io.hvprobe.arch.Arch;
import io.hvprobe.coverage.ObjectCoverage;
import io.hvprobe.coverage.Reach;
import io.hvprobe.coverage.SiteCoverage;
import io.hvprobe.coverage.SiteKind;
import io.hvprobe.run.FindingSite;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Finding;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shard reports of one check, merged, are the report of the unsharded check byte for byte. */
class ShardMergeTest {
    private static final List<String> OBJECTS = List.of("a/one.ko", "a/two.ko", "b/three.ko", "b/four.o");
    private static final List<RuleDescriptor> RULES = List.of(
            new RuleDescriptor("t.error-rule", Severity.ERROR, "An error."),
            new RuleDescriptor("t.warning-rule", Severity.WARNING, "A warning."),
            new RuleDescriptor("t.note-rule", Severity.NOTE, "A note."),
            new RuleDescriptor(ObjectCoverage.UNREACHED_RULE, Severity.NOTE, "A hypercall site no run reached."));

    private static LocatedFinding finding(String object, String function, String rule, Severity s) {
        return new LocatedFinding(new Finding(rule, s, rule + " in " + function, Map.of("command", "10")),
                new FindingSite(object, function, 0x12, Arch.X86_64, "", "vmware"));
    }

    /** The whole check's results: each object has its own mix of findings, rules first used in different shards. */
    private static List<FunctionResult> results(String object) {
        return switch (object) {
            case "a/one.ko" -> List.of(new FunctionResult(object, "f", Arch.X86_64, "", "vmware", 2, 40,
                    List.of(finding(object, "f", "t.note-rule", Severity.NOTE))));
            case "a/two.ko" -> List.of(new FunctionResult(object, "g", Arch.X86_64, "", "vmware", 1, 30,
                    List.of(finding(object, "g", "t.warning-rule", Severity.WARNING))));
            case "b/three.ko" -> List.of(new FunctionResult(object, "h", Arch.X86_64, "", "vmware", 5, 90,
                    List.of(finding(object, "h", "t.error-rule", Severity.ERROR),
                            finding(object, "h", "t.note-rule", Severity.NOTE))),
                    new FunctionResult(object, "i", Arch.X86_64, "", "vmware", 0, 10, List.of()));
            default -> List.of();
        };
    }

    private static List<ObjectCoverage> coverage(String object) {
        List<SiteCoverage> sites = object.equals("a/two.ko")
                ? List.of(new SiteCoverage("g+0x10", 0x1010, "IN", SiteKind.HYPERCALL, Optional.empty(),
                        "no run of this check reached it"),
                new SiteCoverage("g+0x20", 0x1020, "IN", SiteKind.HYPERCALL, Optional.of(Reach.ENTRY), ""))
                : List.of();
        return List.of(new ObjectCoverage(object, Arch.X86_64, "", "vmware", sites));
    }

    private static CheckReport report(List<String> objects) {
        List<FunctionResult> results = new ArrayList<>();
        List<ObjectCoverage> coverage = new ArrayList<>();
        for (String o : objects) {
            results.addAll(results(o));
            coverage.addAll(coverage(o));
        }
        return new CheckReport("1.2.3", results, RULES, ReportSettings.defaults(), coverage);
    }

    private static String render(ReportFormat format, CheckReport report) throws Exception {
        StringWriter out = new StringWriter();
        format.write(report, out);
        return out.toString();
    }

    /** Shard {@code i} of {@code n} as check --shard writes it: its run of the sorted objects, marked. */
    private static ShardMerge.Input shard(ReportFormat format, int i, int n) throws Exception {
        Shard shard = new Shard(i, n);
        List<String> mine = shard.of(OBJECTS.stream().sorted().toList());
        return new ShardMerge.Input("shard-" + i, ShardMerge.mark(format, render(format, report(mine)), shard));
    }

    @ParameterizedTest
    @EnumSource(value = ReportFormat.class, names = {"JSON", "SARIF", "JUNIT"})
    void threeShardsMergedInAnyOrderAreTheUnshardedReport(ReportFormat format) throws Exception {
        CheckReport whole = report(OBJECTS);

        ShardMerge.Merged merged = ShardMerge.merge(List.of(shard(format, 3, 3), shard(format, 1, 3),
                shard(format, 2, 3)), FailOn.ERROR);

        assertThat(merged.format()).isEqualTo(format);
        assertThat(merged.text()).isEqualTo(render(format, whole));
        assertThat(merged.fails()).isEqualTo(whole.fails()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = ReportFormat.class, names = {"JSON", "SARIF"})
    void theExitStatusFollowsFailOnLikeTheUnshardedCheck(ReportFormat format) throws Exception {
        List<ShardMerge.Input> shards = List.of(shard(format, 1, 2), shard(format, 2, 2));

        assertThat(ShardMerge.merge(shards, FailOn.NEVER).fails()).isFalse();
        assertThat(ShardMerge.merge(shards, FailOn.WARNING).fails()).isTrue();
    }

    @Test
    void moreShardsThanObjectsGiveEmptyShardsThatStillMerge() throws Exception {
        List<ShardMerge.Input> shards = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            shards.add(shard(ReportFormat.JSON, i, 6));
        }
        assertThat(ShardMerge.merge(shards, FailOn.ERROR).text()).isEqualTo(render(ReportFormat.JSON,
                report(OBJECTS)));
    }

    @Test
    void everyObjectIsInExactlyOneShard() {
        List<Integer> all = java.util.stream.IntStream.range(0, 10).boxed().toList();
        List<Integer> joined = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            joined.addAll(new Shard(i, 3).of(all));
        }
        assertThat(joined).isEqualTo(all);
        assertThat(new Shard(1, 3).of(all)).hasSize(3);
        assertThat(new Shard(3, 3).of(all)).hasSize(4);
    }

    @Test
    void missingRepeatedUnmarkedAndMixedShardsAreRefusedWithOneLine() throws Exception {
        assertThatThrownBy(() -> ShardMerge.merge(List.of(shard(ReportFormat.JSON, 1, 3),
                shard(ReportFormat.JSON, 3, 3)), FailOn.ERROR)).isInstanceOf(ShardMerge.MergeException.class)
                .hasMessage("missing shard 2/3");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(shard(ReportFormat.SARIF, 1, 2),
                shard(ReportFormat.SARIF, 1, 2)), FailOn.ERROR)).hasMessage("shard-1 and shard-1 are both shard 1/2");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(shard(ReportFormat.JSON, 1, 2),
                shard(ReportFormat.JSON, 2, 3)), FailOn.ERROR)).hasMessage("shard-2: shard 2/3, but shard-1 is one of 2");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(new ShardMerge.Input("plain.json",
                render(ReportFormat.JSON, report(OBJECTS)))), FailOn.ERROR))
                .hasMessageStartingWith("plain.json: not a shard report");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(shard(ReportFormat.JSON, 1, 2),
                shard(ReportFormat.JUNIT, 2, 2)), FailOn.ERROR))
                .hasMessage("shard-2: a junit report; the others are json");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(new ShardMerge.Input("notes.txt", "hello")), FailOn.ERROR))
                .hasMessageStartingWith("notes.txt: neither JSON nor JUnit XML");
    }

    @Test
    void theShardParsesFromItsCommandLineWord() {
        assertThat(Shard.parse("2/3")).contains(new Shard(2, 3));
        assertThat(Shard.parse("0/3")).isEmpty();
        assertThat(Shard.parse("4/3")).isEmpty();
        assertThat(Shard.parse("2")).isEmpty();
        assertThat(Shard.parse("1/0")).isEmpty();
    }
}
