package io.hvprobe.tests;

import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.loader.SymbolBinding;
import io.hvprobe.manifest.FunctionEntry;
import io.hvprobe.manifest.Manifest;
import io.hvprobe.manifest.MatrixObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The manifest and the built objects agree: every exported function has an entry, every entry a function. */
class ManifestCoverageTest {

    @Test
    void everyExportedFunctionOfEveryObjectHasAnEntryAndNoEntryIsStale() throws Exception {
        Manifest manifest = Samples.manifest();
        Path root = Samples.matrix();
        List<String> problems = new ArrayList<>();
        for (Path rel : Samples.objects()) {
            MatrixObject mo = MatrixObject.of(root, root.resolve(rel));
            Set<String> exported = new TreeSet<>();
            for (GuestSymbol f : ImageLoader.load(root.resolve(rel), LoadOptions.defaults()).functions()) {
                if (f.binding() == SymbolBinding.GLOBAL) {
                    exported.add(f.name());
                }
            }
            Set<String> listed = new TreeSet<>(manifest.entriesFor(mo.unit(), mo.variant()).stream()
                    .map(FunctionEntry::name).toList());
            for (String f : exported) {
                if (!listed.contains(f)) {
                    problems.add(rel + ": exported " + f + " has no manifest entry");
                }
            }
            for (String f : listed) {
                if (!exported.contains(f)) {
                    problems.add(rel + ": manifest entry " + f + " is not exported");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyManifestEntryIsRunSomewhere() throws Exception {
        Manifest manifest = Samples.manifest();
        Path root = Samples.matrix();
        Set<String> run = new TreeSet<>();
        for (Path rel : Samples.objects()) {
            manifest.scenarios(root, root.resolve(rel)).forEach(s -> run.add(s.entry().name() + "@" + s.profile()));
        }
        for (FunctionEntry e : manifest.functions()) {
            if (e.vmware()) {
                assertThat(run).contains(e.name() + "@vmware");
            }
            e.profiles().keySet().forEach(p -> assertThat(run).contains(e.name() + "@" + p));
        }
    }
}
