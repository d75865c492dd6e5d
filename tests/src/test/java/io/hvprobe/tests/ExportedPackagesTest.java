package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.junit.HvprobeExtension;
import io.hvprobe.kvm.KvmHypervisor;
import io.hvprobe.manifest.Manifest;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.vmware.VmwareHypervisor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A module exports exactly the packages whose documentation promises something: each exported package's
 * {@code package-info.java} has a stability note ({@code <b>Stability:</b>}), and no package with such a note is
 * left unexported. Reads each library module's compiled {@code module-info} and its sources.
 */
class ExportedPackagesTest {
    private static final String NOTE = "<b>Stability:</b>";
    private static final Map<String, Class<?>> MARKERS = Map.of("spi", Hypervisor.class, "core", Probe.class,
            "hv-vmware", VmwareHypervisor.class, "hv-kvm", KvmHypervisor.class, "junit", HvprobeExtension.class,
            "manifest", Manifest.class);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"spi", "core", "hv-vmware", "hv-kvm", "junit", "manifest"})
    void exportsExactlyThePackagesWithAStabilityNote(String module) throws Exception {
        ModuleDescriptor descriptor = descriptorOf(MARKERS.get(module));
        Set<String> exported = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertThat(exported).as("exports of %s", descriptor.name()).isNotEmpty()
                .isEqualTo(packagesWithAStabilityNote(Samples.projectRoot().resolve(module).resolve("src/main/java")));
    }

    /** The descriptor compiled from the module-info of the module (jar or classes directory) holding {@code c}. */
    private static ModuleDescriptor descriptorOf(Class<?> c) throws URISyntaxException {
        Path location = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(location).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError(location + " has no module-info")).descriptor();
    }

    private static Set<String> packagesWithAStabilityNote(Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.getFileName().toString().equals("package-info.java"))
                    .filter(f -> read(f).contains(NOTE))
                    .map(f -> sources.relativize(f.getParent()).toString().replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
