package io.hvprobe.manifest;

import java.nio.file.Path;

/**
 * A build-matrix object: {@code <arch>/<compiler>/<cell>/<unit>-<variant>.o} below the matrix root.
 *
 * @param path     the object file
 * @param arch     {@code x86_64} or {@code arm64}
 * @param compiler {@code gcc} or {@code clang}
 * @param cellName the flag cell, e.g. {@code O2}, {@code kernel-ssp}
 * @param unit     the source unit, e.g. {@code rpc}
 * @param variant  the backend variant, e.g. {@code vmcall}
 */
public record MatrixObject(Path path, String arch, String compiler, String cellName, String unit, String variant) {

    /** Suffixes of the debug-info cells: same code as the cell without them, plus DWARF. */
    public static final java.util.List<String> DEBUG_SUFFIXES = java.util.List.of("-dwarf4", "-dwarf5");

    /** The cell as the manifest's globs name it: {@code arch/compiler/cell}. */
    public String cell() {
        return arch + "/" + compiler + "/" + cellName;
    }

    /**
     * The cell whose code this object has: a debug-info cell ({@code O2-dwarf5}) is compiled like its base
     * ({@code O2}) because {@code -g} does not change code generation, so it follows that cell's expectations.
     */
    public String codeCell() {
        for (String suffix : DEBUG_SUFFIXES) {
            if (cellName.endsWith(suffix) && cellName.length() > suffix.length()) {
                return arch + "/" + compiler + "/" + cellName.substring(0, cellName.length() - suffix.length());
            }
        }
        return cell();
    }

    /**
     * Parses {@code object}'s place in the matrix.
     *
     * @throws ManifestException if the path does not follow the layout
     */
    public static MatrixObject of(Path matrixRoot, Path object) throws ManifestException {
        Path rel;
        try {
            rel = matrixRoot.toAbsolutePath().normalize().relativize(object.toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            throw new ManifestException(object + ": not below the matrix root " + matrixRoot);
        }
        String file = rel.getFileName().toString();
        int dash = file.lastIndexOf('-');
        if (rel.getNameCount() != 4 || !file.endsWith(".o") || dash <= 0) {
            throw new ManifestException(object + ": not <arch>/<compiler>/<cell>/<unit>-<variant>.o below " + matrixRoot);
        }
        String variant = file.substring(dash + 1, file.length() - 2);
        String arch = rel.getName(0).toString();
        if (!Manifest.archOf(variant).map(arch::equals).orElse(false)) {
            throw new ManifestException(object + ": variant '" + variant + "' does not build for " + arch);
        }
        return new MatrixObject(object, arch, rel.getName(1).toString(), rel.getName(2).toString(),
                file.substring(0, dash), variant);
    }
}
