package io.hvprobe.trace;

import io.hvprobe.guest.CallResult;

/**
 * How a trace ended.
 *
 * @param instructions  instructions traced
 * @param hypercalls    hypercalls answered during the trace
 * @param limitReached  whether the trace stopped the call at its instruction limit
 * @param result        how the call ended (a limit stop shows as a budget fault)
 */
public record TraceEnd(long instructions, long hypercalls, boolean limitReached, CallResult result) {
}
