package io.hvprobe.vmware.balloon;

import java.util.HashSet;
import java.util.Set;

/** Balloon device state (spec §6): negotiation, target and locked pages. */
public final class Balloon {
    /** Capability bits. */
    public static final long CAP_BASIC = 1 << 1;
    public static final long CAP_BATCHED = 1 << 2;
    public static final long CAP_BATCHED_2M = 1 << 3;
    public static final long CAP_SIGNALLED_WAKEUP = 1 << 4;
    public static final long CAP_64_BIT_TARGET = 1 << 5;

    boolean started;
    long capabilities;
    long guestType = -1;
    long target;
    final Set<Long> locked4k = new HashSet<>();
    final Set<Long> locked2m = new HashSet<>();
    long doorbellContext = 0xFFFF_FFFFL;
    long doorbellResource = 0xFFFF_FFFFL;

    Balloon(long targetPages) {
        this.target = targetPages;
    }

    /** Sets the target the host asks for (in 4 KiB pages). */
    public void setTarget(long pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("negative balloon target");
        }
        target = pages;
    }

    /** The current target. */
    public long target() {
        return target;
    }

    /** Whether START succeeded. */
    public boolean started() {
        return started;
    }

    /** The negotiated capabilities. */
    public long capabilities() {
        return capabilities;
    }

    /** The guest type from GUEST_ID, -1 if none. */
    public long guestType() {
        return guestType;
    }

    /** Number of locked 4 KiB pages (2 MiB pages count 512). */
    public long lockedPages() {
        return locked4k.size() + 512L * locked2m.size();
    }

    /** Locked 4 KiB page numbers. */
    public Set<Long> locked4k() {
        return Set.copyOf(locked4k);
    }

    /** Forces the guest to restart the protocol (next command answers ERROR_RESET). */
    public void reset() {
        started = false;
        capabilities = 0;
        locked4k.clear();
        locked2m.clear();
    }

    /** Makes this state equal to {@code other}'s. */
    public void copyFrom(Balloon other) {
        started = other.started;
        capabilities = other.capabilities;
        guestType = other.guestType;
        target = other.target;
        locked4k.clear();
        locked4k.addAll(other.locked4k);
        locked2m.clear();
        locked2m.addAll(other.locked2m);
        doorbellContext = other.doorbellContext;
        doorbellResource = other.doorbellResource;
    }
}
