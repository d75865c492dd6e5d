package io.hvprobe.trace;

import io.hvprobe.api.RunResult;

/**
 * A traced run.
 *
 * @param run the run (hypercall log, findings, how the call ended)
 * @param end how the trace ended
 */
public record TraceResult(RunResult run, TraceEnd end) {
}
