package io.hvprobe.trace;

import io.hvprobe.arch.Arch;

/**
 * Receives a trace in order, one call at a time. Arrays and {@link MemoryWrites} passed in are reused by the
 * tracer: read them inside the call, never keep them.
 *
 * <p>Threads: {@link #start} runs on the thread that attaches the tracer. The other calls run on the emulating
 * thread, except in a long trace (past a few thousand calls, on a machine with two or more processors), whose
 * calls from then on run on a writer thread of the tracer's, so that formatting and output overlap the emulation;
 * each call still happens-before the next, and all have returned before {@link Tracer#detach} calls {@link #end}
 * on the caller's thread. So a sink needs no locking, but must not touch the guest machine or rely on the
 * emulating thread (thread-locals, the machine's state at the time of the call). A sink's exception is thrown on
 * the emulating thread either way and ends the traced call.
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
