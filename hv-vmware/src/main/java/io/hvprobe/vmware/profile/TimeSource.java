package io.hvprobe.vmware.profile;

/** Where the model's clocks come from. */
public enum TimeSource {
    /** A fixed epoch and uptime that move only when a test advances them: deterministic (default). */
    FIXED,
    /** The host's wall clock and monotonic clock. */
    HOST
}
