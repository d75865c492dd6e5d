package io.hvprobe.spi;

/**
 * One run's instance of a hypervisor model: it holds the run's state (channels, clocks, queues).
 * Called on the emulation thread, one trap at a time.
 */
public interface HypervisorSession extends AutoCloseable {

    /** {@return the profile this session runs, e.g. {@code vmware}} */
    String profile();

    /**
     * Answers one trap. Must not throw for anything the guest does; guest mistakes become findings
     * or the answer the real hypervisor would give.
     *
     * @param event  the trap
     * @param memory bounded read access to guest memory
     * @return what the hypervisor does: registers and memory it writes, findings, or a stop
     */
    TrapOutcome handle(TrapEvent event, GuestMemoryView memory);

    /**
     * Whether {@code event} carries this model's own signature (e.g. the VMware backdoor magic in EAX or X0 with an
     * X7 I/O descriptor), so that this model answers it even in a run where another model is the primary one (the
     * one {@code --hv} names, whose CPUID leaves the guest sees and which answers every other trap). Companion
     * models are asked in name order before the primary one and get only the traps they claim here; the primary
     * model is never asked. Decided from the event alone: no state changes.
     *
     * @param event the trap, before any model has answered it
     * @return true when this model, as a companion, answers {@code event}; false (the default) leaves it to the
     *         primary model
     */
    default boolean claims(TrapEvent event) {
        return false;
    }

    /**
     * Captures everything this session holds (channels, cookies, stores, device state, clocks, queued host events),
     * so that runs can start from the same hypervisor state as from the same guest memory: a verifier's baseline
     * and every rerun begin with {@link #restore} of one captured state.
     *
     * @return an immutable copy of this session's state, independent of later traps
     */
    SessionState capture();

    /**
     * Makes this session's state equal to {@code state}, captured from a session of the same model and options;
     * afterwards this session answers every trap as the captured one would have.
     *
     * @param state a state returned by {@link #capture()}
     * @throws IllegalArgumentException if {@code state} was captured by another model or with other options
     */
    void restore(SessionState state);

    @Override
    default void close() {
    }
}
