package io.hvprobe.spi;

/**
 * A {@link HypervisorSession}'s whole state at one moment ({@link HypervisorSession#capture()}), opaque to core.
 * Immutable: restoring it any number of times gives the same state each time, whatever the sessions it was restored
 * into did since.
 */
public interface SessionState {
}
