package io.hvprobe.guest;

import java.util.Arrays;
import java.util.Optional;

/**
 * Proves that a call never ends: it came back to a state it was in before (the same program counter, every
 * register and every byte of writable memory) with nothing outside the guest acting in between (no kernel stub,
 * no handled trap, no write by a hook, no page mapped). The emulated CPU is deterministic, so from that state it
 * repeats the same steps forever. A list walk over a zeroed {@code list_head} (its {@code next} is 0, and page 0
 * reads as zeros) is the common case: it used to spin until the instruction budget.
 *
 * <p>Cheap by construction: the block hook compares one address per block; registers are read only where the
 * watched address comes round again, and the whole state (CPU context and memory) is compared only when the
 * registers repeat. A loop whose state moves on (a counter) comes round with one register changed each time: the
 * register that differed last time is read first, alone, and the rest only when it matches. Watch points start
 * after {@value #FIRST_WATCH} instructions and are renewed at doubling instruction counts, so a loop of any period
 * is caught within about twice the instructions it took to enter it.
 */
final class LoopWatch {
    /** Instructions a call runs before it is watched at all: most calls end long before. */
    static final long FIRST_WATCH = 4096;

    /** What the watch needs from its machine. */
    interface State {
        /** Reads the general registers, program counter and flags into {@code out}. */
        void readRegisters(long[] out);

        /** Reads register {@code index} of the order {@link #readRegisters} uses. */
        long readRegister(int index);

        /** Counts every action from outside the guest so far (stubs, traps, hook writes, mapped pages). */
        long effects();

        /** Captures the whole state: CPU context and writable memory. */
        MachineSnapshot capture();

        /** Whether the machine is now exactly in {@code snapshot}'s state (CPU context and writable memory). */
        boolean isIn(MachineSnapshot snapshot);
    }

    private final State state;
    private final long[] registers;
    private final long[] now;
    private long nextWatch;
    private long watchedPc;
    private long watchedEffects;
    /** The register that differed from the watched ones last time round, or -1: most likely to differ again. */
    private int differedLast = -1;
    private MachineSnapshot full;
    private long executedAtFull;

    LoopWatch(State state, int registerCount) {
        this.state = state;
        this.registers = new long[registerCount];
        this.now = new long[registerCount];
        reset();
    }

    /**
     * What the watch knows at one moment of a call, for a call resumed there ({@link #resume}): the next watch point,
     * the watched address, its registers, the register that differed last, and how many outside actions (traps
     * answered, for a point past the first trap) came since the watch point was set.
     */
    record Mark(long nextWatch, long watchedPc, long[] registers, int differedLast, long effectsSinceWatch) {
    }

    /**
     * The watch's state now, if a call resumed here can carry it exactly: not while it holds a full-state snapshot
     * (the registers repeated; that comparison is not carried).
     */
    Optional<Mark> mark() {
        if (full != null) {
            return Optional.empty();
        }
        return Optional.of(new Mark(nextWatch, watchedPc, registers.clone(), differedLast,
                state.effects() - watchedEffects));
    }

    /**
     * Puts the watch into the state {@code mark} recorded. The machine's count of outside actions differs from the
     * marked call's, so the watched count is set as far behind it as it was then: the watch compares the counts for
     * equality only, and they only grow.
     */
    void resume(Mark mark) {
        reset();
        nextWatch = mark.nextWatch();
        watchedPc = mark.watchedPc();
        System.arraycopy(mark.registers(), 0, registers, 0, registers.length);
        differedLast = mark.differedLast();
        watchedEffects = state.effects() - mark.effectsSinceWatch();
    }

    /** Forgets everything: a new call starts. */
    void reset() {
        nextWatch = FIRST_WATCH;
        watchedPc = -1;
        dropFull();
    }

    /**
     * Called at the start of each block, with the instructions executed before it. When the state at {@code pc}
     * is one the call was in before, unchanged from outside, the call never ends: returns the instructions one
     * round of the loop takes; else 0.
     */
    long atBlock(long pc, long executed) {
        if (executed >= nextWatch) {
            watch(pc);
            nextWatch = executed * 2;
            return 0;
        }
        if (pc != watchedPc) {
            return 0;
        }
        if (differedLast >= 0 && state.readRegister(differedLast) != registers[differedLast]) {
            return 0; // the full read would differ too
        }
        state.readRegisters(now);
        int differs = Arrays.mismatch(now, registers);
        if (differs >= 0) {
            differedLast = differs;
            return 0;
        }
        if (state.effects() != watchedEffects) {
            // Something outside the guest acted: start again from here, with the registers just read (a driver
            // loop calling the kernel comes here every round).
            System.arraycopy(now, 0, registers, 0, registers.length);
            watchedEffects = state.effects();
            dropFull();
            return 0;
        }
        if (full == null) {
            full = state.capture(); // registers repeat: from now on compare the whole state
            executedAtFull = executed;
            return 0;
        }
        if (executed > executedAtFull && state.isIn(full)) {
            return executed - executedAtFull;
        }
        watchedPc = -1; // memory changes from round to round: not provably endless; wait for the next watch point
        dropFull();
        return 0;
    }

    private void watch(long pc) {
        watchedPc = pc;
        state.readRegisters(registers);
        watchedEffects = state.effects();
        dropFull();
    }

    private void dropFull() {
        if (full != null) {
            full.close();
            full = null;
        }
    }
}
