package io.hvprobe.trace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The ring between the emulating thread and the trace writer's thread, without an emulator. */
class TracePipelineTest {
    private static final InstructionInfo NOP = new InstructionInfo(0, 0x1000, "f", new byte[] {(byte) 0x90}, "nop");

    /** Records what it is passed and, every 64 instructions, is slow (as a disk can be). */
    private static final class SlowSink implements TraceSink {
        final AtomicLong instructions = new AtomicLong();
        final List<String> calls = new ArrayList<>();

        @Override
        public void instruction(long index, InstructionInfo insn, long[] before, long[] after, MemoryWrites writes) {
            if (index % 64 == 0) {
                LockSupport.parkNanos(20_000);
            }
            if (index % 1000 == 0 || before[1] != 7 || after[1] != 7) {
                calls.add(index + ": " + before[0] + "," + before[1] + " -> " + after[0] + "," + after[1]);
            }
            instructions.incrementAndGet();
        }

        @Override
        public void start(TraceStart start) {
        }

        @Override
        public void entry(long[] registers) {
            calls.add("entry:" + registers[0]);
        }

        @Override
        public void hypercallEnter(HypercallDigest call) {
        }

        @Override
        public void hypercallExit(HypercallDigest call) {
        }

        @Override
        public void end(TraceEnd end) {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFullRingMakesTheEmulatingThreadWaitAndEveryCallArrivesInOrderWithItsValues() {
        SlowSink slow = new SlowSink();
        TracePipeline pipeline = TracePipeline.of(slow, 2, 0);
        long[] before = {0, 7};
        long[] after = new long[2];
        long mostAhead = 0;
        pipeline.entry(before);
        MemoryWrites none = new MemoryWrites();
        for (int i = 0; i < 20_000; i++) {
            after[0] = before[0] + 1;
            after[1] = 7;
            if (i == 5000) {
                // Another array than the last after, as the tracer passes at a trap: its values are taken.
                long[] trap = before.clone();
                trap[1] = 42;
                pipeline.instruction(i, NOP, trap, after, none);
            } else {
                pipeline.instruction(i, NOP, before, after, none);
            }
            mostAhead = Math.max(mostAhead, i + 1 - slow.instructions.get());
            long[] t = before;
            before = after;
            after = t;
        }
        assertThat(pipeline.running()).isTrue();
        pipeline.finish();

        assertThat(pipeline.running()).isFalse();
        assertThat(mostAhead).isGreaterThan(TracePipeline.SLOTS / 2).isLessThanOrEqualTo(TracePipeline.SLOTS);
        assertThat(slow.instructions).hasValue(20_000);
        assertThat(slow.calls).startsWith("entry:0", "0: 0,7 -> 1,7").contains("4000: 4000,7 -> 4001,7",
                "5000: 5000,42 -> 5001,7", "19000: 19000,7 -> 19001,7").hasSize(21);
    }
}
