package io.hvprobe.api;

import io.hvprobe.guest.ResumePoint;
import io.hvprobe.run.HypercallLog;
import io.hvprobe.spi.SessionState;

import java.util.List;

/**
 * A run's state at one of its traps, before the trap was answered, for reruns of the same call that answer like that
 * run up to the trap and may answer differently from it on ({@link Probe#resume}): the machine there
 * ({@link ResumePoint}), the hypercalls logged before the trap (records and sequence numbers: the trap's own number is
 * {@link #trap()}) and the plugin sessions there (the primary model's and each companion's). Made by the run
 * {@link Probe#seekTrapPoints} asked; valid for the probe and the start state that run started from. Holds native
 * memory: close it.
 */
public final class TrapPoint implements AutoCloseable {
    private final ResumePoint machine;
    private final HypercallLog.Prefix hypercalls;
    private final SessionState session;
    private final List<SessionState> companions;

    TrapPoint(ResumePoint machine, HypercallLog.Prefix hypercalls, SessionState session,
              List<SessionState> companions) {
        this.machine = machine;
        this.hypercalls = hypercalls;
        this.session = session;
        this.companions = List.copyOf(companions);
    }

    /** {@return the sequence number of the trap the run stood at: how many hypercalls it had made} */
    public long trap() {
        return hypercalls.records().size();
    }

    /** {@return the address of the trap site} */
    public long site() {
        return machine.site();
    }

    /** {@return the instructions the run had counted there (see {@link ResumePoint#instructionsExecuted()})} */
    public long instructionsExecuted() {
        return machine.instructionsExecuted();
    }

    /** {@return the bytes of guest memory the point keeps} */
    public long pageBytes() {
        return machine.pageBytes();
    }

    ResumePoint machine() {
        return machine;
    }

    HypercallLog.Prefix hypercalls() {
        return hypercalls;
    }

    SessionState session() {
        return session;
    }

    List<SessionState> companions() {
        return companions;
    }

    /** Frees the machine's saved CPU context. */
    @Override
    public void close() {
        machine.close();
    }
}
