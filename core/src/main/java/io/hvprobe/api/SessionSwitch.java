package io.hvprobe.api;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.SessionState;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;

/**
 * Lets one machine give every run a fresh plugin session (per-run state) without re-creating the
 * emulator: the interceptor holds the switch, each run plugs in a new session.
 */
final class SessionSwitch implements HypervisorSession {
    private HypervisorSession current;

    void plug(HypervisorSession session) {
        if (current != null) {
            current.close();
        }
        current = session;
    }

    HypervisorSession current() {
        return current;
    }

    @Override
    public String profile() {
        return current.profile();
    }

    @Override
    public TrapOutcome handle(TrapEvent event, GuestMemoryView memory) {
        return current.handle(event, memory);
    }

    @Override
    public boolean claims(TrapEvent event) {
        return current.claims(event);
    }

    @Override
    public SessionState capture() {
        return current.capture();
    }

    @Override
    public void restore(SessionState state) {
        current.restore(state);
    }

    @Override
    public void close() {
        plug(null);
    }
}
