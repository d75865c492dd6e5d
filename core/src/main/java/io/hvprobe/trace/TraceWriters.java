package io.hvprobe.trace;

import java.io.OutputStream;

/** The built-in {@link TraceSink}s. Both buffer their output; closing a sink flushes but does not close the stream. */
public final class TraceWriters {
    private TraceWriters() {
    }

    /** Aligned text lines (see the format in {@code docs/cli.md}). */
    public static TraceSink text(OutputStream out) {
        return new TextTraceWriter(out);
    }

    /** JSON Lines: one object per line, hex strings for values. */
    public static TraceSink jsonl(OutputStream out) {
        return new JsonlTraceWriter(out);
    }

    /** Discards everything (for measuring the tracer itself). */
    public static TraceSink discard() {
        return new TraceSink() {
            @Override
            public void start(TraceStart start) {
            }

            @Override
            public void entry(long[] registers) {
            }

            @Override
            public void instruction(long index, InstructionInfo insn, long[] before, long[] after,
                                    MemoryWrites writes) {
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
        };
    }
}
