package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.api.TrapPoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which of the baseline's traps get a {@link TrapPoint}, and the points taken: the first trap, then each trap at least
 * a quarter past the last point's (traps 0..8, 10, 12, 15, 18, 22, 27 ...): a rerun whose first poisoned trap is the
 * n-th starts at least 0.8·n traps in, and a path of 30,000 traps has about 46 points. At most {@value #MAX_POINTS}
 * points and {@value #MAX_PAGE_BYTES} bytes of saved pages (a page unchanged since the previous point is shared, but
 * counted again): past either, no more points are taken. A point after the first also needs at least
 * {@value #MIN_SPACING} instructions since the previous one: taking a point (the CPU context, the written pages, the
 * plugin sessions) costs about as much as emulating a few thousand instructions, which is all a rerun starting there
 * instead of at the previous point saves, so on a short path with many traps (a trap every few instructions) later
 * points would cost every verification more than the bisection reruns, when there are any, gain.
 */
final class RestartPoints implements Probe.TrapPointSeeker {
    static final int MAX_POINTS = 64;
    static final long MAX_PAGE_BYTES = 16L << 20;
    static final long MIN_SPACING = 4096;

    /** What the recorder does when a point was taken or none can come any more. */
    interface Told {
        /** @param more whether later traps may still get points */
        void told(boolean more);
    }

    private final List<String> observedWrites;
    private final Told told;
    private final List<TrapPoint> points = new ArrayList<>();
    private final List<Integer> writesAt = new ArrayList<>();
    private long nextTrap;
    private long pageBytes;
    private boolean stopped;

    /**
     * @param observedWrites the baseline's memory writes as a rerun observes them, growing while it runs
     * @param told           told after each point and after a refusal
     */
    RestartPoints(List<String> observedWrites, Told told) {
        this.observedWrites = observedWrites;
        this.told = told;
    }

    @Override
    public boolean wants(long trap, long instructions) {
        boolean spaced = points.isEmpty() || instructions - points.getLast().instructionsExecuted() >= MIN_SPACING;
        return !stopped && trap >= nextTrap && spaced && points.size() < MAX_POINTS && pageBytes <= MAX_PAGE_BYTES;
    }

    @Override
    public void take(TrapPoint point) {
        points.add(point);
        writesAt.add(observedWrites.size());
        pageBytes += point.pageBytes();
        nextTrap = Math.max(point.trap() + 1, point.trap() + point.trap() / 4);
        told.told(true);
    }

    @Override
    public void refused() {
        stopped = true;
        told.told(false);
    }

    /** Takes no more points. */
    void stop() {
        stopped = true;
    }

    /** {@return how many points were taken} */
    int taken() {
        return points.size();
    }

    /** The points taken (after the run), each with the observed writes before it; the caller closes them. */
    Optional<Restart> restart() {
        if (points.isEmpty()) {
            return Optional.empty();
        }
        List<Restart.Start> starts = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            starts.add(new Restart.Start(points.get(i), observedWrites.subList(0, writesAt.get(i))));
        }
        return Optional.of(new Restart(starts));
    }
}
