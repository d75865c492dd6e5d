package io.hvprobe.cli;

import io.hvprobe.arch.Arch;

import java.nio.file.Path;

/**
 * What a {@link FunctionPlan} knows about the object being checked.
 *
 * @param object  the object's label in findings (its path as named, or relative to the named directory's parent)
 * @param path    the file
 * @param variant the build-variant label (path relative to the named directory, e.g. {@code x86_64/gcc/O2}),
 *                {@code ""} for files named directly
 * @param profile the hypervisor profile label of this run
 * @param arch    the object's architecture
 */
public record PlanContext(String object, Path path, String variant, String profile, Arch arch) {
}
