package io.hvprobe.tests;

import io.hvprobe.manifest.FindingExpectation;
import io.hvprobe.manifest.Manifest;
import io.hvprobe.manifest.Mismatch;
import io.hvprobe.manifest.Scenario;
import io.hvprobe.manifest.ScenarioResult;
import io.hvprobe.manifest.ScenarioRunner;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The firmware-samples manifest is hvprobe's oracle: every entry, in every object of the build matrix, under
 * every profile it names, must run as the manifest says. Correct drivers execute with the listed hypercalls
 * and return values and produce no errors or warnings; every seeded bug is found with its documented rule
 * where it manifests and nothing is found where it cannot.
 *
 * <p>The objects are independent, each with its own runner: they run concurrently (the accounting is thread-safe).
 */
@Execution(ExecutionMode.CONCURRENT)
class ManifestMatrixTest {
    private static Manifest manifest;
    /** Seeded-bug accounting per documented rule: [expected, found]. */
    private static final Map<String, int[]> BUGS = new ConcurrentHashMap<>();
    private static final AtomicInteger SCENARIOS = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();
    private static final List<String> ALL_MISMATCHES = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void load() {
        manifest = Samples.manifest();
    }

    /** The sample objects; the real-client and mutant objects have their own tests (RealClient*Test). */
    static List<Path> objects() {
        return Samples.objects().stream().filter(o -> !RealClients.isClientOrMutant(o)).toList();
    }

    @Test
    void theMatrixHasEveryObject() {
        assertThat(objects()).hasSize(442);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objects")
    void everyEntryRunsAsTheManifestSays(Path object) throws Exception {
        Path root = Samples.matrix();
        List<Scenario> scenarios = manifest.scenarios(root, root.resolve(object));
        assertThat(scenarios).as("manifest entries for %s", object).isNotEmpty();
        List<String> problems = new ArrayList<>();
        try (ScenarioRunner runner = new ScenarioRunner(VerifyOptions.defaults())) {
            for (Scenario s : scenarios) {
                ScenarioResult r = runner.run(s);
                SCENARIOS.incrementAndGet();
                account(r);
                if (!r.passed()) {
                    FAILED.incrementAndGet();
                    r.mismatches().stream().map(Mismatch::toString).forEach(problems::add);
                    r.mismatches().stream().map(Mismatch::toString).forEach(ALL_MISMATCHES::add);
                }
            }
        }
        assertThat(problems).as("mismatches in %s", object).isEmpty();
    }

    private static void account(ScenarioResult r) {
        if (!r.scenario().entry().seededBug() || !r.scenario().bugShows()) {
            return;
        }
        for (FindingExpectation e : r.scenario().findings()) {
            int[] c = BUGS.computeIfAbsent(e.rule(), k -> new int[2]);
            synchronized (c) {
                c[0]++;
                if (r.found().contains(e)) {
                    c[1]++;
                }
            }
        }
    }

    @AfterAll
    static void summary() {
        StringBuilder b = new StringBuilder("manifest matrix: " + SCENARIOS + " scenarios, " + FAILED + " failed\n");
        new TreeMap<>(BUGS).forEach((rule, c) -> b.append(String.format("  %-32s found %d of %d%n", rule, c[1], c[0])));
        System.out.print(b);
        try {
            // Every mismatch, one per line: the list to work through when the manifest and the tool disagree.
            java.nio.file.Files.write(Path.of("target", "manifest-matrix.txt"), ALL_MISMATCHES);
        } catch (java.io.IOException e) {
            System.out.println("cannot write target/manifest-matrix.txt: " + e.getMessage());
        }
    }
}
