package io.hvprobe.verify;

import io.hvprobe.api.Probe;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.guest.WrittenPages;
import io.hvprobe.loader.Segment;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.trap.TrapInterceptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Records the executed path of one run: a code hook on every executable segment records each instruction with the
 * registers before it; the interceptor's listener marks traps with the registers the hypervisor saw, whichever of
 * the two hooks Unicorn calls first. It also observes the run's memory writes as a differential rerun would
 * ({@link ObservedWrites}), so that the baseline stands for the rerun without poison.
 *
 * <p>With {@link Reads.Deltas} it reads, before each instruction, only the registers the previous one may write
 * ({@link WriteSets}), and every register where that is not known to suffice: at the first instruction, after any
 * outside action ({@link io.hvprobe.guest.GuestMachine#outsideActions()}: a trap's answer, a stub, a handled exception,
 * a hook's write), after an instruction without decoded access, after each address's first run (its write set is
 * decoded at its second: code that runs once is never decoded here) and from a guest write into code on. To check the
 * write sets it also reads every register after the first decoded run of each address and every
 * {@value #CHECK_EVERY}th instruction,
 * and compares them with what it reconstructed; a difference makes the recording {@linkplain #exact() inexact}, and the
 * caller records the run again with {@link Reads#EVERY_STEP}.
 */
final class PathRecorder implements TrapInterceptor.HypercallListener {
    /** How the recorder reads the registers before each instruction. */
    sealed interface Reads {
        /** Every register before every instruction. */
        Reads EVERY_STEP = new Every();

        /** Every register before every instruction. */
        record Every() implements Reads {
        }

        /** What the previous instruction may have written ({@code writeSets}), checked where all are read. */
        record Deltas(WriteSets writeSets) implements Reads {
        }
    }

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

    /** The write sets of {@link Reads.Deltas}; null: every register at every step. */
    private WriteSets writeSets;
    /** The registers before the last recorded instruction, as read or reconstructed. */
    private final long[] state;
    private final int pc;
    /** What the last recorded instruction may write (null: unknown). */
    private int[] lastMayWrite;
    /** Whether every register is read before the next instruction: after a trap, or to check the write sets. */
    private boolean fullNext;
    /** {@link io.hvprobe.guest.GuestMachine#outsideActions()} at the last recorded instruction. */
    private long lastActions = -1;
    /**
     * The write sets of the addresses run so far (open addressing; {@link #ONCE} for an address run once, not decoded
     * yet, {@link #UNKNOWN} for null): every register is read after an address's first run, and after its second,
     * the first with its write set, where the set is checked; later runs are not.
     */
    private long[] seenAddresses = new long[1024];
    private int[][] seenWrites = new int[1024][];
    private int seen;
    private static final int[] UNKNOWN = new int[0];
    /** An address run once so far: not decoded yet (every register is read after a first run anyway). */
    private static final int[] ONCE = new int[0];
    /** Every this many instructions the write sets are checked, wherever the path is. */
    private static final int CHECK_EVERY = 256;
    /** Whether a full read found a register that differed from the reconstruction. */
    private boolean mismatch;
    private int fullReads;
    /** The executable segments: a guest write into one makes the decoded write sets untrustworthy. */
    private final long[][] code;

    private PathRecorder(Probe probe, int max, Reads reads) {
        this.probe = probe;
        this.uc = probe.machine().instrumentation();
        this.max = max;
        this.buffer = new long[probe.machine().arch().registers().size()];
        this.state = new long[buffer.length];
        this.pc = probe.machine().arch().programCounter().index();
        this.writeSets = switch (reads) {
            case Reads.Every e -> null;
            case Reads.Deltas d -> d.writeSets();
        };
        this.code = probe.image().segments().stream().filter(s -> s.permissions().execute() && s.size() > 0)
                .map(s -> new long[] {s.address(), s.end()}).toArray(long[][]::new);
        this.path = new ExecutionPath(probe.machine().arch(), max);
        this.observedWrites = new ObservedWrites(path, probe.machine().arch());
    }

    /**
     * Records the next run of {@code probe}.
     *
     * @param seekResume whether to ask the run for restart points ({@link #restart()})
     * @param reads      which registers to read before each instruction
     */
    static PathRecorder attach(Probe probe, int maxLength, boolean seekResume, Reads reads) {
        PathRecorder r = new PathRecorder(probe, maxLength, reads);
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
        if (writeSets == null) {
            uc.readRegisters(buffer);
            path.append(address, buffer);
            return;
        }
        long actions = probe.machine().outsideActions();
        int[] may = lastMayWrite;
        int length = path.length();
        if (length == 0 || actions != lastActions || may == null || fullNext || length % CHECK_EVERY == 0) {
            uc.readRegisters(buffer);
            fullReads++;
            if (length > 0 && actions == lastActions) {
                check(may, address);
            }
            System.arraycopy(buffer, 0, state, 0, state.length);
            path.append(address, state);
            fullNext = false;
        } else {
            uc.readRegisters(may, buffer, may.length);
            for (int k = 0; k < may.length; k++) {
                state[may[k]] = buffer[k];
            }
            path.append(address, state, may, may.length);
        }
        lastActions = actions;
        if (writeSets != null) { // else a check failed or the guest wrote into code: every step is read from here
            lastMayWrite = mayWrite(address);
        }
    }

    /** {@link #writeSets}' answer for {@code address}, asked once per address; a first answer is checked next step. */
    private int[] mayWrite(long address) {
        int mask = seenAddresses.length - 1;
        int i = (int) ((address * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask;
        for (; seenWrites[i] != null; i = (i + 1) & mask) {
            if (seenAddresses[i] == address) {
                int[] may = seenWrites[i];
                if (may == ONCE) {
                    // Run again: a loop or a called-again function, where reading less pays for the decode.
                    may = writeSets.mayWrite(address);
                    seenWrites[i] = may == null ? UNKNOWN : may;
                    fullNext = true;
                    return may;
                }
                return may == UNKNOWN ? null : may;
            }
        }
        // The first run of an address: every register is read after it, so its write set is not needed yet;
        // straight-line code that runs once (most of a driver's paths) is then never decoded here.
        seenAddresses[i] = address;
        seenWrites[i] = ONCE;
        if (++seen * 2 > seenAddresses.length) {
            long[] keys = seenAddresses;
            int[][] values = seenWrites;
            seenAddresses = new long[keys.length * 2];
            seenWrites = new int[keys.length * 2][];
            seen = 0;
            for (int k = 0; k < keys.length; k++) {
                if (values[k] != null) {
                    put(keys[k], values[k]);
                }
            }
        }
        return null;
    }

    private void put(long address, int[] may) {
        int mask = seenAddresses.length - 1;
        int i = (int) ((address * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask;
        while (seenWrites[i] != null) {
            i = (i + 1) & mask;
        }
        seenAddresses[i] = address;
        seenWrites[i] = may;
        seen++;
    }

    /**
     * Compares the registers just read in full ({@link #buffer}) with the reconstruction: those the last instruction
     * may not have written must hold what they held before it ({@code may} null: nothing to compare).
     */
    private void check(int[] may, long address) {
        if (may == null) {
            return;
        }
        for (int k = 0; k < may.length; k++) {
            state[may[k]] = buffer[may[k]];
        }
        state[pc] = address;
        if (!Arrays.equals(state, buffer)) {
            mismatch = true;
            writeSets = null; // the rest of the run read in full; the recording is redone anyway
        }
    }

    /** How many times every register was read with {@link Reads.Deltas} (a measure of how much it saved). */
    int fullReads() {
        return fullReads;
    }

    /**
     * Whether the path is the one a recording with {@link Reads#EVERY_STEP} would have made: false when a full read
     * found a register the write sets missed (the run must be recorded again, reading every step).
     */
    boolean exact() {
        return !mismatch;
    }

    private void onRead(long address, int size) {
        if (!path.truncated()) {
            path.addRead(address, size);
        }
    }

    private void onWrite(long address, int size, long value) {
        if (writeSets != null && intoCode(address, size)) {
            writeSets = null; // the guest rewrites its code: what was decoded may no longer be what runs
        }
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

    private boolean intoCode(long address, int size) {
        for (long[] c : code) {
            if (address < c[1] && address + size > c[0]) {
                return true;
            }
        }
        return false;
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
            afterTrap(before);
            return;
        }
        if (path.length() >= max) {
            path.markTruncated();
            return;
        }
        path.markTrap(path.append(pc, before), record);
        skipAddress = pc;
        afterTrap(before);
    }

    /** The registers before the trap are {@code before}; after it (the answer) every register is read, unchecked. */
    private void afterTrap(long[] before) {
        System.arraycopy(before, 0, state, 0, state.length);
        fullNext = true;
        lastMayWrite = null;
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
