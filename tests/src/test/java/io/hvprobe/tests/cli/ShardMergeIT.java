package io.hvprobe.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.tests.cli.Hvprobe.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code check --shard I/3} three times, then {@code merge}: the unsharded report, byte for byte, same exit status.
 * The reports of one shard (and the unsharded ones) in the three formats share a check
 * ({@link CliRun#runSharingCheck}).
 */
class ShardMergeIT {
    private static final List<String> OBJECTS = List.of("x86_64/gcc/O2/detect-port.o", "x86_64/gcc/O2/bugs-port.o",
            "x86_64/clang/Os/clock-vmcall.o", "arm64/gcc/O2/detect-mrs.o", "arm64/clang/O2/vmmouse-hvc.o");

    /** The objects' copy, read by every test; one path, so the reports of each format name the same objects. */
    @TempDir
    static Path objects;
    static Path tree;

    /** The reports a test writes. */
    @TempDir
    Path dir;

    @BeforeAll
    static void copySamples() throws Exception {
        tree = objects.resolve("matrix");
        for (String rel : OBJECTS) {
            Path to = tree.resolve(rel);
            Files.createDirectories(to.getParent());
            Files.copy(Hvprobe.sample(rel), to);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "sarif", "junit"})
    void threeShardsMergedAreTheUnshardedReport(String format) throws Exception {
        Path whole = dir.resolve("whole." + format);
        Result unsharded = CliRun.runSharingCheck("check", tree, "--format", format, "-o", whole, "-q");
        assertThat(unsharded.exit()).as(unsharded.toString()).isEqualTo(1);
        for (int i = 1; i <= 3; i++) {
            Result shard = CliRun.runSharingCheck("check", tree, "--format", format, "--shard", i + "/3", "-o",
                    dir.resolve("shard-" + i + "." + format), "-q");
            assertThat(shard.exit()).as(shard.toString()).isIn(0, 1);
        }
        Path merged = dir.resolve("merged." + format);

        Result merge = CliRun.run("merge", dir.resolve("shard-2." + format), dir.resolve("shard-3." + format),
                dir.resolve("shard-1." + format), "-o", merged);

        assertThat(merge.exit()).as(merge.toString()).isEqualTo(unsharded.exit());
        assertThat(merge.err()).isEmpty();
        assertThat(Files.readString(merged)).isEqualTo(Files.readString(whole));
        assertThat(Files.readString(dir.resolve("shard-1." + format))).contains("shard").contains("1/3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0/3", "4/3", "a/b"})
    void aShardThatIsNotIOfNIsAUsageError(String word) {
        Result r = CliRun.run("check", tree, "--shard", word, "-q");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--shard must be I/N");
    }

    @org.junit.jupiter.api.Test
    void aMissingShardIsAnInputErrorNamingIt() {
        Path one = dir.resolve("one.json");
        CliRun.run("check", tree, "--format", "json", "--shard", "1/2", "-o", one, "-q");

        Result r = CliRun.run("merge", one);

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("hvprobe: missing shard 2/2\n");
    }
}
