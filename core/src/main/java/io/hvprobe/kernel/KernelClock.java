package io.hvprobe.kernel;

/**
 * The environment's deterministic clock: starts at {@link #START_NS} every call, advances by {@link #TICK_NS}
 * per reading and by whatever the guest sleeps or delays. Never the host's clock, so no verdict depends on it.
 */
final class KernelClock {
    /** Nanoseconds at the start of a call (1 s, so "time since boot" is never 0). */
    static final long START_NS = 1_000_000_000L;
    /** How far one reading moves the clock, so polling loops see time pass. */
    static final long TICK_NS = 1_000;
    /** The kernel tick rate jiffies count in (Debian's CONFIG_HZ=250). */
    static final long HZ = 250;

    private long now = START_NS;

    void reset() {
        now = START_NS;
    }

    /** Reads the clock and moves it on by one tick. */
    long read() {
        long t = now;
        now += TICK_NS;
        return t;
    }

    /** Advances by {@code ns} (saturating, never backwards). */
    void advance(long ns) {
        if (ns > 0) {
            now = now + ns < now ? Long.MAX_VALUE : now + ns;
        }
    }

    /** The clock in jiffies. */
    long jiffies() {
        return now / (1_000_000_000L / HZ);
    }
}
