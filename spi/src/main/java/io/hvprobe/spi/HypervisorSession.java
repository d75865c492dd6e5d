package io.hvprobe.spi;

/**
 * One run's instance of a hypervisor model: it holds the run's state (channels, clocks, queues).
 * Called on the emulation thread, one trap at a time.
 */
public interface HypervisorSession extends AutoCloseable {

    /** The profile this session runs, e.g. {@code vmware}. */
    String profile();

    /**
     * Answers one trap. Must not throw for anything the guest does; guest mistakes become findings
     * or the answer the real hypervisor would give.
     *
     * @param event  the trap
     * @param memory bounded read access to guest memory
     */
    TrapOutcome handle(TrapEvent event, GuestMemoryView memory);

    @Override
    default void close() {
    }
}
