package io.hvprobe.verify;

import io.hvprobe.guest.ResumePoint;

import java.util.List;

/**
 * Where a differential rerun starts instead of the function's entry: the baseline's state at its first trap, and what
 * the baseline did before it that a rerun's observation holds (its memory writes as {@link ObservedWrites} sees them).
 * Every rerun poisons hypercall answers only, so up to the first trap it is the baseline.
 *
 * @param point        the baseline's resume point
 * @param writesBefore the memory writes the baseline made before the point, as a rerun observes them
 */
record Restart(ResumePoint point, List<String> writesBefore) implements AutoCloseable {
    /** Frees the point's native state. */
    @Override
    public void close() {
        point.close();
    }
}
