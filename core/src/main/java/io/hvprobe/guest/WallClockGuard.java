package io.hvprobe.guest;

import io.hvprobe.unicorn.Unicorn;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The last-resort wall-clock guard of one engine: while armed, a shared timer thread stops the engine once the
 * deadline has passed, and the run loop asks {@link #fired()} afterwards.
 *
 * <p>Unicorn's own {@code uc_emu_start} timeout is not used. In 2.0.1 it starts a thread per start that wakes every
 * 2 µs to poll, and its "timed out" flag was seen set on a loaded machine long before the deadline (a rerun in the
 * sample matrix ended by a 10-minute guard after a few seconds), which made a report depend on machine load. Here
 * a stop happens only when {@link System#nanoTime()} says the deadline has passed.
 */
final class WallClockGuard {

    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static final long RETRY_MILLIS = 50;

    private final Unicorn uc;
    private ScheduledFuture<?> pending;
    private boolean armed;
    private boolean fired;

    WallClockGuard(Unicorn uc) {
        this.uc = uc;
    }

    /** Arms the guard for the next emulation: the engine is stopped {@code nanos} from now unless disarmed first. */
    synchronized void arm(long nanos) {
        armed = true;
        fired = false;
        pending = TIMER.schedule(this::expire, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Disarms the guard; once this returns the timer no longer touches the engine. */
    synchronized void disarm() {
        armed = false;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Whether the deadline passed while the guard was armed (the emulation was stopped for it). */
    synchronized boolean fired() {
        return fired;
    }

    private synchronized void expire() {
        if (armed) {
            fired = true;
            uc.interrupt();
            // Unicorn ignores a stop that arrives before uc_emu_start has reset its state: ask again until disarmed.
            pending = TIMER.schedule(this::expire, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "hvprobe-wall-clock-guard");
            thread.setDaemon(true);
            return thread;
        });
        // Cancelled guards leave the queue at once instead of at their (10-minute) deadline.
        t.setRemoveOnCancelPolicy(true);
        return t;
    }
}
