package io.hvprobe.kvm.state;

/**
 * The host's wall clock and the guest's counter as the model reports them: deterministic, never the machine's clock.
 * It starts at 2026-01-01T00:00:00Z with the counter at 0, and each reading moves both on by 1 µs, so two readings in
 * a run differ and reruns see the same values.
 */
public final class HostClock {
    /** 2026-01-01T00:00:00Z in ns since the epoch. */
    static final long START_NS = 1_767_225_600L * 1_000_000_000L;
    private static final long STEP_NS = 1_000;

    private long readings;

    /** One paired reading. */
    public record Reading(long wallNs, long elapsedNs) {
        /** Seconds of the wall clock. */
        public long seconds() {
            return Math.floorDiv(wallNs, 1_000_000_000L);
        }

        /** Nanoseconds within the second. */
        public long nanos() {
            return Math.floorMod(wallNs, 1_000_000_000L);
        }

        /** The counter at this reading, for a counter of {@code hz}. */
        public long cycles(long hz) {
            // Whole seconds and the rest apart, so neither product overflows for counters up to 9 GHz.
            return elapsedNs / 1_000_000_000L * hz + elapsedNs % 1_000_000_000L * hz / 1_000_000_000L;
        }
    }

    /** Reads the clock (and moves it on). */
    public Reading read() {
        readings++;
        long elapsed = readings * STEP_NS;
        return new Reading(START_NS + elapsed, elapsed);
    }

    /** Makes this clock equal to {@code other}. */
    public void copyFrom(HostClock other) {
        readings = other.readings;
    }
}
