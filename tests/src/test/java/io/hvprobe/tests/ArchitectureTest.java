package io.hvprobe.tests;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import io.hvprobe.api.Probe;
import io.hvprobe.kvm.KvmHypervisor;
import io.hvprobe.junit.HvprobeExtension;
import io.hvprobe.manifest.Manifest;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.vmware.VmwareHypervisor;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Module and package dependencies stay one-way (docs/DESIGN.md): each rule reads the compiled classes of the
 * modules it is about (their own jar or classes directory, never test classes) and names the offending
 * dependency when it fails.
 */
class ArchitectureTest {
    private static final JavaClasses SPI = classesOf(Hypervisor.class);
    private static final JavaClasses CORE_AND_SPI = classesOf(Probe.class, Hypervisor.class);
    private static final JavaClasses VMWARE = classesOf(VmwareHypervisor.class);
    private static final JavaClasses KVM = classesOf(KvmHypervisor.class);
    private static final JavaClasses JUNIT = classesOf(HvprobeExtension.class);

    /** The main classes of the modules that hold {@code markers}: the whole jar or classes directory of each. */
    private static JavaClasses classesOf(Class<?>... markers) {
        List<URL> locations = java.util.Arrays.stream(markers)
                .map(c -> c.getProtectionDomain().getCodeSource().getLocation()).distinct().toList();
        return new ClassFileImporter().importUrls(locations);
    }

    /** Every package its own slice, so a cycle between any two packages (a parent and its child too) is found. */
    private static final SliceAssignment EACH_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
            return SliceIdentifier.of(c.getPackageName());
        }

        @Override
        public String getDescription() {
            return "each package";
        }
    };

    /** The packages of {@code classes} (the imported ones, not those they merely refer to). */
    private static Set<String> packages(JavaClasses classes) {
        return classes.stream().map(JavaClass::getPackageName).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void eachPackageLivesInItsModule() {
        // Also guards the rules below against passing vacuously on an empty import.
        assertThat(packages(SPI)).containsExactly("io.hvprobe.arch", "io.hvprobe.spi");
        assertThat(packages(classesOf(Probe.class))).contains("io.hvprobe.verify", "io.hvprobe.guest")
                .doesNotContain("io.hvprobe.arch", "io.hvprobe.spi", "io.hvprobe.manifest");
        assertThat(packages(VMWARE)).contains("io.hvprobe.vmware", "io.hvprobe.vmware.abi", "io.hvprobe.vmware.rpc")
                .allMatch(p -> p.startsWith("io.hvprobe.vmware"));
        assertThat(packages(classesOf(Manifest.class))).containsExactly("io.hvprobe.manifest");
        assertThat(packages(KVM)).contains("io.hvprobe.kvm", "io.hvprobe.kvm.abi", "io.hvprobe.kvm.smccc")
                .allMatch(p -> p.startsWith("io.hvprobe.kvm"));
        assertThat(packages(JUNIT)).containsExactly("io.hvprobe.junit");
    }

    @Test
    void theJunitModuleUsesTheSessionApiNotTheEngine() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.junit..", "org.opentest4j..",
                        "io.hvprobe.junit..", "io.hvprobe.api..", "io.hvprobe.guest..", "io.hvprobe.loader..",
                        "io.hvprobe.run..", "io.hvprobe.verify..", "io.hvprobe.spi..", "io.hvprobe.arch..")
                .because("users' tests build on the session API, results and the SPI's vocabulary, never on the"
                        + " binding, the interceptor or a plugin")
                .check(JUNIT);
    }

    @Test
    void spiAndArchDependOnNothingButEachOtherAndTheJdk() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.hvprobe.arch..",
                        "io.hvprobe.spi..")
                .because("a plugin depends on the SPI module alone, without the emulator, Capstone or Jackson")
                .check(SPI);
    }

    @Test
    void theVmwarePluginSeesOnlyTheSpi() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.hvprobe.arch..",
                        "io.hvprobe.spi..", "io.hvprobe.vmware..", "com.fasterxml.jackson..")
                .because("a plugin must not reach into the engine or the verifier")
                .check(VMWARE);
    }

    @Test
    void theKvmPluginSeesOnlyTheSpi() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.hvprobe.arch..",
                        "io.hvprobe.spi..", "io.hvprobe.kvm..")
                .because("a plugin must not reach into the engine, the verifier or another plugin")
                .check(KVM);
    }

    @Test
    void coreNeverDependsOnAPluginTheManifestOrTheCli() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.hvprobe.vmware..", "io.hvprobe.kvm..",
                        "io.hvprobe.manifest..", "io.hvprobe.cli..", "io.hvprobe.tests..")
                .because("core is hypervisor-neutral; plugins are found through ServiceLoader")
                .check(CORE_AND_SPI);
    }

    @Test
    void corePackagesFormNoCycle() {
        slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(CORE_AND_SPI);
    }

    @Test
    void vmwarePackagesFormNoCycle() {
        slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(VMWARE);
    }

    @Test
    void kvmPackagesFormNoCycle() {
        slices().assignedFrom(EACH_PACKAGE).should().beFreeOfCycles().check(KVM);
    }

    /** The project's root directory (the samples directory's parent, which surefire names). */
    private static Path root() {
        String samples = System.getProperty("hvprobe.samples.dir");
        if (samples == null) {
            throw new IllegalStateException("system property hvprobe.samples.dir is not set (run through Maven)");
        }
        return Path.of(samples).toAbsolutePath().normalize().getParent();
    }

    private static final SourceImports CORE_SOURCES = SourceImports.of(root().resolve("spi/src/main/java"),
            root().resolve("core/src/main/java"));
    private static final SourceImports VMWARE_SOURCES = SourceImports.of(root().resolve("hv-vmware/src/main/java"));
    private static final SourceImports KVM_SOURCES = SourceImports.of(root().resolve("hv-kvm/src/main/java"));

    // Bytecode does not show a use of a compile-time constant (inlined), so the sources are checked as well.
    @Test
    void sourceImportsOfCoreFormNoPackageCycle() {
        assertThat(CORE_SOURCES.edges()).containsKeys("io.hvprobe.spi", "io.hvprobe.verify");
        assertThat(CORE_SOURCES.cycles()).isEmpty();
    }

    @Test
    void sourceImportsOfVmwareFormNoPackageCycle() {
        assertThat(VMWARE_SOURCES.edges()).containsKeys("io.hvprobe.vmware", "io.hvprobe.vmware.abi");
        assertThat(VMWARE_SOURCES.cycles()).isEmpty();
        assertThat(VMWARE_SOURCES.edges().values()).allSatisfy(uses -> assertThat(uses)
                .allMatch(p -> p.startsWith("io.hvprobe.vmware") || p.startsWith("io.hvprobe.spi")
                        || p.startsWith("io.hvprobe.arch"), "a package of the model or the SPI"));
    }

    @Test
    void sourceImportsOfKvmFormNoPackageCycle() {
        assertThat(KVM_SOURCES.edges()).containsKeys("io.hvprobe.kvm", "io.hvprobe.kvm.smccc");
        assertThat(KVM_SOURCES.cycles()).isEmpty();
        assertThat(KVM_SOURCES.edges().values()).allSatisfy(uses -> assertThat(uses)
                .allMatch(p -> p.startsWith("io.hvprobe.kvm") || p.startsWith("io.hvprobe.spi")
                        || p.startsWith("io.hvprobe.arch"), "a package of the model or the SPI"));
    }

    @Test
    void sourcesOfInterceptorVerifierAndTracerDoNotNameTheBinding() {
        for (String pkg : List.of("io.hvprobe.trap", "io.hvprobe.verify", "io.hvprobe.trace")) {
            assertThat(CORE_SOURCES.uses(pkg)).as(pkg).isNotEmpty().doesNotContain("io.hvprobe.unicorn");
        }
    }

    @Test
    void interceptorVerifierAndTracerUseTheInstrumentationApiNotTheBinding() {
        noClasses().that().resideInAnyPackage("io.hvprobe.trap..", "io.hvprobe.verify..", "io.hvprobe.trace..")
                .should().dependOnClassesThat().resideInAPackage("io.hvprobe.unicorn..")
                .because("they instrument the machine through io.hvprobe.guest.Instrumentation")
                .check(CORE_AND_SPI);
    }

    /**
     * Data flows one way: object → loader → guest → trap → plugin (spi) → outcome (run) → verifier → report.
     * Each layer names every layer it may use; a backwards import (the loader using the guest, the verifier
     * using a report writer, a report using the verifier) fails.
     */
    @Test
    void dataFlowsOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("arch").definedBy("io.hvprobe.arch..")
                .layer("spi").definedBy("io.hvprobe.spi..")
                .layer("object readers").definedBy("io.hvprobe.elf..", "io.hvprobe.dwarf..")
                .layer("disasm").definedBy("io.hvprobe.disasm..")
                .layer("binding").definedBy("io.hvprobe.unicorn..")
                .layer("loader").definedBy("io.hvprobe.loader..")
                .layer("guest").definedBy("io.hvprobe.guest..", "io.hvprobe.kernel..")
                .layer("run").definedBy("io.hvprobe.run..")
                .layer("trap").definedBy("io.hvprobe.trap..")
                .layer("api").definedBy("io.hvprobe.api..")
                .layer("verify").definedBy("io.hvprobe.verify..")
                .layer("trace").definedBy("io.hvprobe.trace..")
                .layer("report").definedBy("io.hvprobe.report..")
                .whereLayer("arch").mayNotAccessAnyLayer()
                .whereLayer("spi").mayOnlyAccessLayers("arch")
                .whereLayer("object readers").mayOnlyAccessLayers("arch")
                .whereLayer("disasm").mayOnlyAccessLayers("arch")
                .whereLayer("binding").mayOnlyAccessLayers("arch")
                .whereLayer("loader").mayOnlyAccessLayers("arch", "object readers")
                .whereLayer("guest").mayOnlyAccessLayers("arch", "spi", "object readers", "disasm", "binding",
                        "loader")
                .whereLayer("run").mayOnlyAccessLayers("arch", "spi", "object readers")
                .whereLayer("trap").mayOnlyAccessLayers("arch", "spi", "object readers", "disasm", "loader",
                        "guest", "run")
                .whereLayer("api").mayOnlyAccessLayers("arch", "spi", "object readers", "disasm", "loader",
                        "guest", "run", "trap")
                .whereLayer("verify").mayOnlyAccessLayers("arch", "spi", "object readers", "disasm", "loader",
                        "guest", "run", "trap", "api")
                .whereLayer("trace").mayOnlyAccessLayers("arch", "spi", "object readers", "disasm", "loader",
                        "guest", "run", "trap", "api")
                .whereLayer("report").mayOnlyAccessLayers("arch", "spi", "object readers", "run")
                .check(CORE_AND_SPI);
    }
}
