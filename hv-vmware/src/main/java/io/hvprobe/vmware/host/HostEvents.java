package io.hvprobe.vmware.host;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Notifications the guest sent the host (OSNOTFOUND, STOPCATCHUP, REPORTGUESTCRASH...), bounded. */
public final class HostEvents {
    private static final int MAX = 1000;
    private final Deque<String> events = new ArrayDeque<>();

    /** Records an event; the oldest is dropped beyond 1000. */
    public void record(String event) {
        if (events.size() == MAX) {
            events.removeFirst();
        }
        events.addLast(event);
    }

    /** Events in arrival order. */
    public List<String> all() {
        return List.copyOf(events);
    }

    /** Makes the recorded events equal to {@code other}'s. */
    public void copyFrom(HostEvents other) {
        events.clear();
        events.addAll(other.events);
    }
}
