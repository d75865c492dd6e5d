package io.hvprobe.tests;

import io.hvprobe.manifest.Manifest;
import io.hvprobe.manifest.ManifestException;
import io.hvprobe.manifest.MatrixObject;
import io.hvprobe.manifest.Scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The real-client reproductions of firmware-samples/src/clients (docs/clients.md): which matrix units they are and
 * their manifest scenarios. A client scenario passes when it completes with its expected result and no error or
 * warning; a mutant scenario (where its dropped constraint shows) when every finding the manifest names is found.
 */
final class RealClients {
    /** Units built from the clients' sources. */
    static final Set<String> CLIENT_UNITS = Set.of("vmwgfx", "vmwgfx_a64", "vmballoon", "ovt", "ovt_a64", "ipxe");
    /** Units built from the mutants' sources, one constraint dropped each. */
    static final Set<String> MUTANT_UNITS = Set.of("mut_vmwgfx_edx", "mut_vmwgfx_x1", "mut_vmballoon_port",
            "mut_ovt_rbx", "mut_ipxe_eax");

    private RealClients() {
    }

    /** Whether a matrix object (relative to the matrix root) is a client or a mutant object. */
    static boolean isClientOrMutant(Path object) {
        return unitOf(object).map(u -> CLIENT_UNITS.contains(u) || MUTANT_UNITS.contains(u)).orElse(false);
    }

    private static Optional<String> unitOf(Path object) {
        try {
            return Optional.of(MatrixObject.of(Samples.matrix(), Samples.matrix().resolve(object)).unit());
        } catch (ManifestException e) {
            return Optional.empty();
        }
    }

    /** Every scenario of the correct clients, and of the mutants' entries that are not seeded bugs. */
    static List<Scenario> clientScenarios() {
        return scenarios(s -> CLIENT_UNITS.contains(s.entry().unit())
                || (MUTANT_UNITS.contains(s.entry().unit()) && !s.entry().seededBug()));
    }

    /** The mutants' seeded-bug scenarios in the cells where the dropped constraint changes the code. */
    static List<Scenario> mutantScenarios() {
        return scenarios(s -> MUTANT_UNITS.contains(s.entry().unit()) && s.entry().seededBug() && s.bugShows());
    }

    /** Every mutant entry with a seeded bug (whether or not it shows in a cell). */
    static List<Scenario> allMutantBugScenarios() {
        return scenarios(s -> MUTANT_UNITS.contains(s.entry().unit()) && s.entry().seededBug());
    }

    private static List<Scenario> scenarios(Predicate<Scenario> keep) {
        Manifest manifest = Samples.manifest();
        Path root = Samples.matrix();
        List<Scenario> out = new ArrayList<>();
        for (Path rel : Samples.objects()) {
            if (!isClientOrMutant(rel)) {
                continue;
            }
            try {
                manifest.scenarios(root, root.resolve(rel)).stream().filter(keep).forEach(out::add);
            } catch (ManifestException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return out;
    }
}
