package io.hvprobe.vmware.time;

import io.hvprobe.vmware.profile.TimeSource;
import io.hvprobe.vmware.profile.VmwareProfile;

import java.time.Duration;
import java.time.Instant;

/**
 * The model's notion of time: wall clock and uptime, fixed (deterministic, default) or taken from
 * the host; both can be moved forward by tests with {@link #advance(Duration)}.
 */
public final class GuestClock {
    private final TimeSource source;
    private final Instant epoch;
    private final long uptimeAtStart;
    private long hostNanoAtStart;
    private Instant hostWallAtStart;
    private final long tscHz;
    private long advancedNanos;

    /** A clock as {@code time} configures it. */
    public GuestClock(VmwareProfile.TimeSettings time) {
        this.source = time.source();
        this.epoch = time.fixedEpoch();
        this.uptimeAtStart = time.fixedUptimeNanos();
        this.tscHz = time.tscHz();
        this.hostNanoAtStart = System.nanoTime();
        this.hostWallAtStart = Instant.now();
    }

    /** Moves both clocks forward (negative durations are refused). */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the guest clock only moves forward");
        }
        advancedNanos = Math.addExact(advancedNanos, d.toNanos());
    }

    /** Wall-clock time now. */
    public Instant now() {
        if (source == TimeSource.FIXED) {
            return epoch.plusNanos(advancedNanos);
        }
        return hostWallAtStart.plusNanos(System.nanoTime() - hostNanoAtStart + advancedNanos);
    }

    /** Wall-clock time in nanoseconds since the Unix epoch. */
    public long nowNanos() {
        Instant n = now();
        return Math.addExact(Math.multiplyExact(n.getEpochSecond(), 1_000_000_000L), n.getNano());
    }

    /** Nanoseconds since the VM started. */
    public long uptimeNanos() {
        long elapsed = source == TimeSource.FIXED ? 0 : System.nanoTime() - hostNanoAtStart;
        return uptimeAtStart + elapsed + advancedNanos;
    }

    /** The virtual TSC: uptime converted with the profile's TSC frequency. */
    public long tsc() {
        return cycles(uptimeNanos());
    }

    /** {@code nanos} expressed in TSC cycles (exact, no overflow for realistic values). */
    public long cycles(long nanos) {
        long seconds = nanos / 1_000_000_000L;
        long rest = nanos % 1_000_000_000L;
        // rest < 2^30 and tscHz <= 8e9 < 2^33 (profile limit), so the product fits a long.
        return seconds * tscHz + (rest * tscHz) / 1_000_000_000L;
    }

    /**
     * Makes this clock equal to {@code other} (same settings assumed): how far it was moved, and for a host-backed
     * clock the same host start, so both read the same time.
     */
    public void copyFrom(GuestClock other) {
        hostNanoAtStart = other.hostNanoAtStart;
        hostWallAtStart = other.hostWallAtStart;
        advancedNanos = other.advancedNanos;
    }
}
