package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.guest.WrittenPages;
import io.hvprobe.loader.Segment;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.trap.TrapInterceptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records the executed path of one run: a code hook on every executable segment reads all registers
 * (one batched call) before each instruction; the interceptor's listener marks traps with the registers
 * the hypervisor saw, whichever of the two hooks Unicorn calls first. It also observes the run's memory writes as a
 * differential rerun would ({@link ObservedWrites}), so that the baseline stands for the rerun without poison.
 */
final class PathRecorder implements TrapInterceptor.HypercallListener {
    private final Probe probe;
    private final Instrumentation uc;
    private final int max;
    private final long[] buffer;
    private final ExecutionPath path;
    private final List<Instrumentation.Hook> hooks = new ArrayList<>();
    /**
     * The data-access hooks, removed once the path is full (the code hooks keep counting executed instructions); the
     * write hook only once a restart point is taken as well, since a rerun from there starts with the writes before.
     */
    private Instrumentation.Hook readHook;
    private Instrumentation.Hook writeHook;
    /** Observed while the write hook is in; a run longer than the path leaves them incomplete. */
    private ObservedWrites observedWrites;
    private long skipAddress = -1;
    /** Whether the run's restart points are asked for and more may come; the pages written until then. */
    private boolean seekingResume;
    private final WrittenPages written = new WrittenPages();
    /** The baseline's restart points; null when none are asked for. */
    private RestartPoints points;

    private PathRecorder(Probe probe, int max) {
        this.probe = probe;
        this.uc = probe.machine().instrumentation();
        this.max = max;
        this.buffer = new long[probe.machine().arch().registers().size()];
        this.path = new ExecutionPath(probe.machine().arch(), max);
        this.observedWrites = new ObservedWrites(path, probe.machine().arch());
    }

    /**
     * Records the next run of {@code probe}.
     *
     * @param seekResume whether to ask the run for restart points ({@link #restart()})
     */
    static PathRecorder attach(Probe probe, int maxLength, boolean seekResume) {
        PathRecorder r = new PathRecorder(probe, maxLength);
        for (Segment s : probe.image().segments()) {
            if (s.permissions().execute() && s.size() > 0) {
                r.hooks.add(r.uc.hookCode(s.address(), s.end() - 1, (address, size) -> r.onCode(address)));
            }
        }
        r.readHook = r.uc.hookMemoryRead(1, 0, (address, size, value) -> r.onRead(address, size));
        r.writeHook = r.uc.hookMemoryWrite(1, 0, (address, size, value) -> r.onWrite(address, size, value));
        probe.interceptor().addListener(r);
        if (seekResume) {
            r.seekingResume = true;
            r.points = new RestartPoints(r.observedWrites.writes(), r::pointTold);
            probe.seekTrapPoints(r.points, r.written);
        }
        return r;
    }

    private void onCode(long address) {
        if (address == skipAddress) {
            skipAddress = -1;
            return;
        }
        if (path.length() >= max) {
            path.markTruncated(); // counts the instruction: the cost reports it
            if (readHook != null) {
                // No more accesses are recorded: a run that loops to its instruction budget would otherwise pay an
                // upcall per memory access for the rest of it. The code hook stays: it counts what the cost reports.
                // Writes are observed on up to the first restart point when reruns may start there.
                uc.hookDelete(readHook);
                readHook = null;
                if (!seekingResume || points.taken() > 0) {
                    stopSeeking();
                }
            }
            return;
        }
        uc.readRegisters(buffer);
        path.append(address, buffer);
    }

    private void onRead(long address, int size) {
        if (!path.truncated()) {
            path.addRead(address, size);
        }
    }

    private void onWrite(long address, int size, long value) {
        if (!path.truncated()) {
            path.addWrite(address, size);
        }
        if (observedWrites != null) {
            observedWrites.write(address, size, value);
        }
        if (seekingResume) {
            written.add(address, size);
        }
    }

    @Override
    public void onHypercall(HypercallRecord record) {
        long pc = record.event().pc();
        long[] before = record.event().registers().toArray();
        int last = path.length() - 1;
        if (last >= 0 && path.address(last) == pc && !path.isTrap(last)) {
            // Our code hook ran first and already recorded the trap instruction.
            path.overwriteRegisters(last, before);
            path.markTrap(last, record);
            return;
        }
        if (path.length() >= max) {
            path.markTruncated();
            return;
        }
        path.markTrap(path.append(pc, before), record);
        skipAddress = pc;
    }

    private void stopObservingWrites() {
        if (writeHook != null) {
            uc.hookDelete(writeHook);
            writeHook = null;
        }
        observedWrites = null;
    }

    /**
     * After a restart point was taken ({@link Probe#seekTrapPoints}) or none can come: past a full path no more are
     * taken (the write hook stays in until the first, even past a full path).
     */
    private void pointTold(boolean more) {
        if (!more) {
            seekingResume = false;
        }
        if (path.truncated()) {
            stopSeeking();
        }
    }

    /** Takes no more restart points and stops observing writes. */
    private void stopSeeking() {
        seekingResume = false;
        if (points != null) {
            points.stop();
        }
        stopObservingWrites();
    }

    /** Where reruns may start instead of the entry (after {@link #detach}); the caller closes it. */
    Optional<Restart> restart() {
        return points == null ? Optional.empty() : points.restart();
    }

    /**
     * The memory writes of the run as a differential rerun observes them (after {@link #detach}); empty when the run
     * was longer than the recorded path, which stopped observing them.
     */
    Optional<List<String>> observedWrites() {
        return path.truncated() ? Optional.empty()
                : Optional.ofNullable(observedWrites).map(ObservedWrites::writes);
    }

    /** Removes the hooks and returns the path with the registers at the end of the run. */
    ExecutionPath detach() {
        probe.interceptor().removeListener(this);
        if (seekingResume) {
            // A seeker the run never asked (it never started) must not be asked by a later run.
            probe.seekTrapPoints(null, null);
        }
        if (readHook != null) {
            uc.hookDelete(readHook);
            readHook = null;
        }
        if (writeHook != null) {
            uc.hookDelete(writeHook); // what it observed stays
            writeHook = null;
        }
        for (Instrumentation.Hook h : hooks) {
            uc.hookDelete(h);
        }
        path.finish(uc.readSnapshot());
        return path;
    }
}
