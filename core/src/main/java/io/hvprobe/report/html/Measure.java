package io.hvprobe.report.html;

/**
 * One named figure of a run's cost, e.g. {@code instructions 441}.
 *
 * @param name  what is counted
 * @param value the count
 */
public record Measure(String name, long value) {
}
