package io.hvprobe.guest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How much {@link LoopWatch} reads on a loop that is not endless: a counter loop costs one register per round, and
 * a round in which the counter matches still gets the full comparison. (Proving a loop endless, which needs a real
 * machine's snapshot, is in {@code GuestMachineSafetyTest}.)
 */
class LoopWatchTest {
    private static final long LOOP = 0x1000;

    /** Registers the test sets; counts the reads the watch makes. */
    private static final class Registers implements LoopWatch.State {
        final long[] values = new long[4];
        int fullReads;
        int singleReads;

        @Override
        public void readRegisters(long[] out) {
            fullReads++;
            System.arraycopy(values, 0, out, 0, values.length);
        }

        @Override
        public long readRegister(int index) {
            singleReads++;
            return values[index];
        }

        @Override
        public long effects() {
            return 0;
        }

        @Override
        public MachineSnapshot capture() {
            throw new AssertionError("the registers never repeat in these tests");
        }

        @Override
        public boolean isIn(MachineSnapshot snapshot) {
            throw new AssertionError("the registers never repeat in these tests");
        }
    }

    @Test
    void aCounterLoopReadsTheCounterAloneOnceItIsKnownToChange() {
        Registers regs = new Registers();
        LoopWatch watch = new LoopWatch(regs, regs.values.length);
        long executed = LoopWatch.FIRST_WATCH;
        assertThat(watch.atBlock(LOOP, executed)).isZero(); // the watch point: the registers are read in full
        for (int round = 1; round <= 10; round++) {
            regs.values[2] = round; // the loop counter
            executed += 3;
            assertThat(watch.atBlock(LOOP, executed)).isZero();
        }
        // The watch point and the first round read everything; the first round found register 2 differing, so the
        // other nine read only register 2.
        assertThat(regs.fullReads).isEqualTo(2);
        assertThat(regs.singleReads).isEqualTo(9);
    }

    @Test
    void aRoundWhoseCounterMatchesComparesEveryRegister() {
        Registers regs = new Registers();
        LoopWatch watch = new LoopWatch(regs, regs.values.length);
        long executed = LoopWatch.FIRST_WATCH;
        watch.atBlock(LOOP, executed);
        regs.values[2] = 1;
        assertThat(watch.atBlock(LOOP, executed + 3)).isZero(); // register 2 differs: the one to read first
        regs.values[2] = 0; // back to the watched value, but another register moved on
        regs.values[3] = 7;
        assertThat(watch.atBlock(LOOP, executed + 6)).isZero();
        assertThat(regs.fullReads).isEqualTo(3);
        regs.values[3] = 8;
        assertThat(watch.atBlock(LOOP, executed + 9)).isZero(); // now register 3 is read first, alone
        assertThat(regs.fullReads).isEqualTo(3);
    }
}
