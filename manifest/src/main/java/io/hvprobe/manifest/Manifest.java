package io.hvprobe.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The firmware-samples manifest ({@code schema: hvprobe-samples/1}, docs/samples.md): for every exported
 * function of the sample objects, what hvprobe must see. {@link #scenarios} turns it into runnable
 * {@link Scenario}s for one object of the build matrix.
 *
 * <pre>{@code
 * Manifest m = Manifest.load(Path.of("firmware-samples/manifest.yaml"));
 * Path root = Path.of("firmware-samples/target/matrix");
 * try (ScenarioRunner runner = new ScenarioRunner(VerifyOptions.defaults())) {
 *     for (Scenario s : m.scenarios(root, root.resolve("x86_64/gcc/O2/detect-port.o"))) {
 *         ScenarioResult r = runner.run(s);
 *         r.mismatches().forEach(System.out::println);
 *     }
 * }
 * }</pre>
 *
 * @param file      where the manifest was read from (for messages)
 * @param functions the function entries in manifest order
 */
public record Manifest(Path file, List<FunctionEntry> functions) {
    /** The schema this class reads. */
    public static final String SCHEMA = "hvprobe-samples/1";
    /** The default hypervisor model ({@code hv:}) and its default profile. */
    public static final String VMWARE = "vmware";
    /** The KVM model ({@code hv: kvm}): x86 KVM hypercalls and arm64 SMCCC, profiles under {@code profiles:}. */
    public static final String KVM = "kvm";
    /** QEMU's vmport. */
    public static final String QEMU_VMPORT = "qemu-vmport";
    /** {@code vmware} with CPUID.0x40000010 ECX = 0 (no VMCALL/VMMCALL/TDCALL advertised). */
    public static final String VMWARE_PORT_ONLY = "vmware-port-only";
    /** Largest manifest file read. */
    public static final long MAX_BYTES = 4L << 20;

    public Manifest {
        functions = List.copyOf(functions);
    }

    /**
     * Reads and checks a manifest.
     *
     * @throws ManifestException naming the file and the entry for anything unreadable or invalid
     */
    public static Manifest load(Path file) throws ManifestException {
        JsonNode root;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ManifestException(file + ": larger than " + MAX_BYTES + " bytes");
            }
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable");
            throw new ManifestException(file + ": " + msg, e);
        }
        return new Manifest(file, new ManifestParser(file.toString()).functions(root));
    }

    /** The architecture a variant builds for ({@code x86_64} or {@code arm64}), empty for an unknown variant. */
    public static Optional<String> archOf(String variant) {
        return switch (variant) {
            case "port", "vmcall", "vmmcall", "tdx" -> Optional.of("x86_64");
            case "mrs", "hvc" -> Optional.of("arm64");
            default -> Optional.empty();
        };
    }

    /** The entry named {@code name} in {@code unit}, if any. */
    public Optional<FunctionEntry> entry(String unit, String name) {
        return functions.stream().filter(f -> f.unit().equals(unit) && f.name().equals(name)).findFirst();
    }

    /** Entries whose function is in {@code <unit>-<variant>.o}. */
    public List<FunctionEntry> entriesFor(String unit, String variant) {
        return functions.stream().filter(f -> f.unit().equals(unit) && f.variants().contains(variant)).toList();
    }

    /** With one entry replaced (same index), e.g. to check that a changed expectation is reported. */
    public Manifest withEntry(FunctionEntry e) {
        List<FunctionEntry> out = new ArrayList<>(functions);
        out.set(e.index(), e);
        return new Manifest(file, out);
    }

    /**
     * The scenarios for one matrix object: every entry of its unit and variant, under {@code vmware} and every
     * profile block that applies to the variant (an {@code hv: kvm} entry: under each of its {@code profiles:}).
     *
     * @param matrixRoot the matrix output directory ({@code <arch>/<compiler>/<cell>/<unit>-<variant>.o} below it)
     * @param object     the object, below {@code matrixRoot}
     * @throws ManifestException if the object's path does not follow the matrix layout
     */
    public List<Scenario> scenarios(Path matrixRoot, Path object) throws ManifestException {
        MatrixObject mo = MatrixObject.of(matrixRoot, object);
        List<Scenario> out = new ArrayList<>();
        for (FunctionEntry e : entriesFor(mo.unit(), mo.variant())) {
            out.addAll(Scenarios.of(e, mo));
        }
        return out;
    }
}
