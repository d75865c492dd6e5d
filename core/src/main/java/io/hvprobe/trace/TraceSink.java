package io.hvprobe.trace;

import io.hvprobe.arch.Arch;

/**
 * Receives a trace as it happens, on the emulation thread. Arrays and {@link MemoryWrites} passed in are reused
 * by the tracer: read them inside the call, never keep them.
 */
public interface TraceSink extends AutoCloseable {

    /** The trace begins: what is traced and how. */
    void start(TraceStart start);

    /** The registers at the first traced instruction, in {@link Arch#registers()} order. */
    void entry(long[] registers);

    /**
     * One executed instruction.
     *
     * @param index  its position in the trace, from 0
     * @param insn   the instruction
     * @param before registers before it, in {@link Arch#registers()} order
     * @param after  registers after it
     * @param writes guest memory it wrote (empty unless memory tracing is on)
     */
    void instruction(long index, InstructionInfo insn, long[] before, long[] after, MemoryWrites writes);

    /** A hypercall is about to be answered; the trap instruction's record follows. */
    void hypercallEnter(HypercallDigest call);

    /** The hypercall was answered (after the trap instruction's record). */
    void hypercallExit(HypercallDigest call);

    /** The trace ended. */
    void end(TraceEnd end);

    /** Flushes buffered output; does not close streams the sink does not own. */
    @Override
    void close();

    /**
     * What a trace is about.
     *
     * @param object    the object's label
     * @param function  the function called
     * @param arch      the architecture
     * @param options   the trace options
     */
    record TraceStart(String object, String function, Arch arch, TraceOptions options) {
    }
}
