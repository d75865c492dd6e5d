package io.hvprobe.cli;

import io.hvprobe.arch.Arch;
import io.hvprobe.loader.LoadException;
import io.hvprobe.manifest.Manifest;
import io.hvprobe.manifest.ManifestException;
import io.hvprobe.manifest.Scenario;
import io.hvprobe.manifest.ScenarioResult;
import io.hvprobe.manifest.ScenarioRunner;
import io.hvprobe.run.FunctionResult;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.verify.VerifyOptions;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code hvprobe check --manifest FILE}: instead of synthetic calls, run the manifest's scenarios (arguments,
 * set-up, profiles) for every object under the named matrix directories, compare each run with its
 * expectations and account for the seeded bugs. Failed expectations are {@code hvprobe.expectation} errors.
 */
final class ManifestCheck {

    /** One object and the matrix root it was found under. */
    private record Item(CheckTarget target, Path root) {
    }

    /** Counters for the summary. */
    record Tally(int scenarios, int passed, int bugsExpected, int bugsFound, List<String> failures) {
    }

    /** What the check produced. */
    record Outcome(List<FunctionResult> results, int objects, int profiles, Tally tally) {
    }

    private final Manifest manifest;
    private final VerifyOptions verify;
    private final Set<String> profiles;

    private ManifestCheck(Manifest manifest, VerifyOptions verify, Set<String> profiles) {
        this.manifest = manifest;
        this.verify = verify;
        this.profiles = Set.copyOf(profiles);
    }

    /** Loads the manifest; {@code profiles} restricts the scenarios' profiles (empty = all the manifest names). */
    static ManifestCheck load(String file, VerifyOptions verify, Set<String> profiles) {
        Path p = Path.of(file);
        if (!Files.isRegularFile(p)) {
            throw new InputError("no such file: " + file);
        }
        try {
            return new ManifestCheck(Manifest.load(p), verify, profiles);
        } catch (ManifestException e) {
            throw new InputError(e.getMessage(), e);
        }
    }

    Outcome run(List<String> paths, int jobs, boolean quiet) throws Exception {
        List<Item> items = new ArrayList<>();
        for (String path : paths) {
            Path root = Path.of(path);
            if (!Files.isDirectory(root)) {
                throw new InputError("with --manifest, " + path + " must be a matrix directory"
                        + " (<arch>/<compiler>/<cell>/<unit>-<variant>.o)");
            }
            for (CheckTarget t : ObjectFinder.find(List.of(path))) {
                // The matrix holds relocatable objects; linked files beside them (the blob's reference ELF)
                // have no scenarios.
                if (t.path().getFileName().toString().endsWith(".o")) {
                    items.add(new Item(t, root));
                }
            }
        }
        if (items.isEmpty()) {
            throw new InputError("no ELF objects found in " + String.join(", ", paths));
        }
        Progress progress = Progress.start(items.size(), quiet);
        List<List<ScenarioResult>> perObject = OrderedParallel.map(items, jobs, () -> new ScenarioRunner(verify),
                (runner, i) -> {
                    List<ScenarioResult> out = runObject(runner, i);
                    progress.advance(i.target().label());
                    return out;
                });
        progress.finish();
        return summarise(items, perObject);
    }

    private List<ScenarioResult> runObject(ScenarioRunner runner, Item item) throws LoadException {
        List<Scenario> scenarios;
        try {
            scenarios = manifest.scenarios(item.root(), item.target().path());
        } catch (ManifestException e) {
            throw new InputError(e.getMessage(), e);
        }
        List<ScenarioResult> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            if (profiles.isEmpty() || profiles.contains(s.profile())) {
                out.add(runner.run(s));
            }
        }
        runner.close();
        return out;
    }

    private Outcome summarise(List<Item> items, List<List<ScenarioResult>> perObject) {
        List<FunctionResult> results = new ArrayList<>();
        Set<String> seenProfiles = new java.util.TreeSet<>();
        int scenarios = 0;
        int passed = 0;
        int expected = 0;
        int found = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            CheckTarget t = items.get(i).target();
            for (ScenarioResult r : perObject.get(i)) {
                Scenario s = r.scenario();
                scenarios++;
                passed += r.passed() ? 1 : 0;
                if (!r.passed()) {
                    r.mismatches().forEach(m -> failures.add(m.toString()));
                }
                expected += r.found().size() + r.missing().size();
                found += r.found().size();
                seenProfiles.add(s.profile());
                List<LocatedFinding> findings = new ArrayList<>(r.findings());
                findings.addAll(r.asFindings());
                Arch arch = s.object().arch().equals("arm64") ? Arch.ARM64 : Arch.X86_64;
                results.add(new FunctionResult(t.label(), s.entry().name(), arch, t.variant(), s.profile(),
                        r.verification().map(v -> v.run().hypercallCount()).orElse(0L),
                        r.verification().map(v -> v.cost().instructions()).orElse(0L), findings));
            }
        }
        return new Outcome(results, items.size(), seenProfiles.size(),
                new Tally(scenarios, passed, expected, found, failures));
    }

    /** The seeded-bug and expectation lines after the summary table. */
    static void summarize(Tally tally, PrintWriter out) {
        SummaryTable.row(out, "scenarios", tally.scenarios() + " (" + tally.passed() + " passed, "
                + (tally.scenarios() - tally.passed()) + " failed)");
        SummaryTable.row(out, "seeded bugs", tally.bugsFound() + " found of " + tally.bugsExpected() + " expected");
        int shown = Math.min(20, tally.failures().size());
        for (String f : tally.failures().subList(0, shown)) {
            out.println("  FAILED " + f);
        }
        if (tally.failures().size() > shown) {
            out.printf(Locale.ROOT, "  ... %d more failed expectation(s)%n", tally.failures().size() - shown);
        }
    }
}
