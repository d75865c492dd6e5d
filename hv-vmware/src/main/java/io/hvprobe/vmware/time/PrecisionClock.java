package io.hvprobe.vmware.time;

/** The virtual PTP clock behind PRECISIONCLOCK (ptp_vmw): the wall clock plus a settable offset. */
public final class PrecisionClock {
    private final GuestClock clock;
    private long offsetNanos;
    private long scaledPpm;

    /** A PTP clock following {@code clock}. */
    public PrecisionClock(GuestClock clock) {
        this.clock = clock;
    }

    /** Current PTP time in ns since the epoch. */
    public long nowNanos() {
        return clock.nowNanos() + offsetNanos;
    }

    /** SETTIME. */
    public void set(long nanos) {
        offsetNanos = nanos - clock.nowNanos();
    }

    /** ADJTIME (signed delta). */
    public void adjust(long deltaNanos) {
        offsetNanos += deltaNanos;
    }

    /** ADJFREQ: records the frequency adjustment (scaled ppm); the model's clock rate does not change. */
    public void adjustFrequency(long newScaledPpm) {
        scaledPpm = newScaledPpm;
    }

    /** The last ADJFREQ value. */
    public long scaledPpm() {
        return scaledPpm;
    }

    /** Offset from the wall clock. */
    public long offsetNanos() {
        return offsetNanos;
    }

    /** Takes {@code other}'s offset and frequency adjustment (the clock it follows is copied on its own). */
    public void copyFrom(PrecisionClock other) {
        offsetNanos = other.offsetNanos;
        scaledPpm = other.scaledPpm;
    }
}
