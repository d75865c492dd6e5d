package io.hvprobe.cli;

import java.nio.file.Path;

/**
 * One object {@code hvprobe check} visits.
 *
 * @param path    the file
 * @param label   its name in findings
 * @param variant variant label derived from its path ({@code ""} for files named directly)
 */
record CheckTarget(Path path, String label, String variant) {
}
