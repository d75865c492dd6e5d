package io.hvprobe.verify;

import io.hvprobe.api.TrapPoint;

import java.util.List;
import java.util.Optional;

/**
 * Where differential reruns start instead of the function's entry: points the baseline took at some of its traps, in
 * trap order, each with what the baseline did before it that a rerun's observation holds (its memory writes as
 * {@link ObservedWrites} sees them). Every rerun poisons hypercall answers only, so up to the first trap it poisons it
 * is the baseline, and it may start at the latest point not after that trap ({@link #before}).
 */
final class Restart implements AutoCloseable {
    /**
     * One point and the baseline's observed memory writes before it.
     *
     * @param point        the baseline's state at one of its traps
     * @param writesBefore the memory writes the baseline made before the point, as a rerun observes them
     */
    record Start(TrapPoint point, List<String> writesBefore) {
    }

    private final List<Start> starts;

    /** @param starts the points, in increasing trap order; not empty */
    Restart(List<Start> starts) {
        this.starts = List.copyOf(starts);
    }

    /**
     * The latest point at or before trap {@code trap}: where a rerun that answers like the baseline up to that trap
     * may start.
     *
     * @param trap the sequence number of the first trap the rerun may answer differently
     * @return the point, or empty when the first point comes after that trap
     */
    Optional<Start> before(long trap) {
        Start found = null;
        for (Start s : starts) {
            if (s.point().trap() > trap) {
                break;
            }
            found = s;
        }
        return Optional.ofNullable(found);
    }

    /** {@return the points, in trap order} */
    List<Start> starts() {
        return starts;
    }

    /** Frees the points' native state. */
    @Override
    public void close() {
        starts.forEach(s -> s.point().close());
    }
}
