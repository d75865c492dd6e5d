package io.hvprobe.trace;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.guest.GuestMachine;
import io.hvprobe.guest.Instrumentation;
import io.hvprobe.guest.UnknownFunctionException;
import io.hvprobe.loader.Segment;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.trap.TrapInterceptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Traces every instruction a guest call executes inside the machine's executable segments.
 *
 * <pre>{@code
 * try (Probe probe = Probe.open(Path.of("detect-port.o"), ProbeOptions.defaults());
 *      TraceSink sink = TraceWriters.text(System.out)) {
 *     TraceResult r = Tracer.trace(probe, GuestCall.of("hv_detect"), TraceOptions.defaults(), sink);
 * }
 * }</pre>
 *
 * <p>Mechanism: one {@code UC_HOOK_CODE} per executable segment reads all registers with one batched call into
 * a reused array (nothing is allocated per instruction once an address has been seen); an instruction is
 * emitted when the next one starts, so its register deltas are known. At a trap site the interceptor's hook and
 * ours both fire, in either order: the trap's pre-state is taken from the hypercall event and its post-state
 * from the record's {@code after}, and when the interceptor ran first our late hook at the same address is
 * skipped. An optional memory-write hook collects the writes of each instruction. A long trace hands the sink's
 * work (formatting, I/O) to a second thread ({@link TracePipeline}); the sink sees the same calls in the same order
 * either way, and the thread has ended when {@link #detach} returns.
 *
 * <p>Not thread-safe; one tracer per machine at a time.
 */
public final class Tracer implements TrapInterceptor.HypercallListener {
    private static final long NONE = -1;

    private final GuestMachine machine;
    private final TrapInterceptor interceptor;
    private final Instrumentation uc;
    /** The caller's sink behind a {@link TracePipeline}. */
    private final TraceSink sink;
    private final TraceOptions options;
    private final boolean full;
    private long[] prev;
    private long[] cur;
    private final MemoryWrites writes = new MemoryWrites();
    private final InstructionTable table = new InstructionTable();
    private final List<Instrumentation.Hook> hooks = new ArrayList<>();

    private boolean started;
    private boolean hasPending;
    private long pendingAddress = NONE;
    private long pendingIndex;
    private HypercallRecord pendingTrap;
    private HypercallDigest pendingDigest;
    private long skipAddress = NONE;
    private long count;
    private long hypercalls;
    private boolean limitReached;
    private boolean detached;

    private Tracer(GuestMachine machine, TrapInterceptor interceptor, TraceOptions options, TraceSink sink,
                   long pipelineThreshold) {
        this.machine = machine;
        this.interceptor = interceptor;
        this.uc = machine.instrumentation();
        this.options = options;
        this.full = !options.hypercallsOnly();
        this.prev = new long[machine.arch().registers().size()];
        this.cur = new long[prev.length];
        this.sink = TracePipeline.around(sink, prev.length, pipelineThreshold);
    }

    /**
     * Starts tracing {@code machine}: the next call it runs is traced until {@link #detach}.
     *
     * @param start what the trace is about (handed to {@link TraceSink#start})
     */
    public static Tracer attach(GuestMachine machine, TrapInterceptor interceptor, TraceSink.TraceStart start,
                                TraceSink sink) {
        return attach(machine, interceptor, start, sink, TracePipeline.THRESHOLD);
    }

    /**
     * As {@link #attach(GuestMachine, TrapInterceptor, TraceSink.TraceStart, TraceSink)}, with the sink calls after
     * the first {@code pipelineThreshold} passed on by a second thread (tests force the pipeline with 0).
     */
    static Tracer attach(GuestMachine machine, TrapInterceptor interceptor, TraceSink.TraceStart start,
                         TraceSink sink, long pipelineThreshold) {
        if (start.arch() != machine.arch()) {
            throw new IllegalArgumentException("trace of " + start.arch() + " on an " + machine.arch() + " machine");
        }
        Tracer t = new Tracer(machine, interceptor, start.options(), sink, pipelineThreshold);
        t.sink.start(start);
        for (Segment s : machine.image().segments()) {
            if (s.permissions().execute() && s.size() > 0) {
                t.hooks.add(t.uc.hookCode(s.address(), s.end() - 1, (address, size) -> t.onCode(address)));
            }
        }
        if (start.options().memory() && t.full) {
            t.hooks.add(t.uc.hookMemoryWrite(1, 0, (address, size, value) -> t.writes.add(address, size,
                    value)));
        }
        interceptor.addListener(t);
        return t;
    }

    /** Traces one call on {@code probe} (a fresh plugin session, as {@link Probe#run}). */
    public static TraceResult trace(Probe probe, GuestCall call, TraceOptions options, TraceSink sink)
            throws UnknownFunctionException {
        Tracer t = attach(probe.machine(), probe.interceptor(),
                new TraceSink.TraceStart(probe.object(), call.function(), probe.machine().arch(), options), sink);
        RunResult run;
        try {
            run = probe.run(call);
        } catch (UnknownFunctionException | RuntimeException e) {
            t.removeHooksAfter(e);
            throw e;
        }
        return new TraceResult(run, t.detach(run.call()));
    }

    private void onCode(long address) {
        if (limitReached) {
            return;
        }
        if (address == skipAddress) {
            // The interceptor's hook ran first at this trap site; onHypercall already recorded it.
            skipAddress = NONE;
            return;
        }
        skipAddress = NONE;
        if (full) {
            uc.readRegisters(cur);
            if (!started) {
                started = true;
                sink.entry(cur);
            }
            flushPending(cur);
            long[] t = prev;
            prev = cur;
            cur = t;
        }
        if (options.limit() > 0 && count >= options.limit()) {
            limitReached = true;
            machine.stop(machine.faultHere(Fault.Kind.BUDGET_EXHAUSTED, address,
                    "trace limit of " + options.limit() + " instructions reached"));
            return;
        }
        hasPending = true;
        pendingAddress = address;
        pendingIndex = count++;
        pendingTrap = null;
        pendingDigest = null;
    }

    @Override
    public void onHypercall(HypercallRecord record) {
        if (limitReached) {
            return;
        }
        long pc = record.event().pc();
        boolean hookRanFirst = hasPending && pendingAddress == pc && pendingTrap == null;
        if (!hookRanFirst) {
            long[] before = record.event().registers().toArray();
            if (full) {
                if (!started) {
                    started = true;
                    sink.entry(before);
                }
                flushPending(before);
            }
            if (options.limit() > 0 && count >= options.limit()) {
                // The interceptor ran first and already answered this trap, one past the limit: not traced.
                limitReached = true;
                machine.stop(machine.faultHere(Fault.Kind.BUDGET_EXHAUSTED, pc,
                        "trace limit of " + options.limit() + " instructions reached"));
                return;
            }
            hasPending = true;
            pendingAddress = pc;
            pendingIndex = count++;
            skipAddress = pc;
        }
        hypercalls++;
        HypercallDigest digest = HypercallDigest.of(record);
        pendingTrap = record;
        pendingDigest = digest;
        if (full) {
            // A new array rather than a copy into prev: prev may be the array the sink was last handed as an
            // instruction's after, and the pipeline relies on such an array coming back unchanged (TracePipeline).
            prev = record.event().registers().toArray();
        } else {
            sink.hypercallEnter(digest);
            sink.hypercallExit(digest);
        }
    }

    private void flushPending(long[] after) {
        if (!hasPending) {
            return;
        }
        InstructionInfo info = info(pendingAddress);
        if (pendingTrap != null) {
            sink.hypercallEnter(pendingDigest);
            sink.instruction(pendingIndex, info, prev, pendingTrap.after().toArray(), writes);
            sink.hypercallExit(pendingDigest);
        } else {
            sink.instruction(pendingIndex, info, prev, after, writes);
        }
        writes.clear();
        hasPending = false;
        pendingTrap = null;
        pendingDigest = null;
    }

    private InstructionInfo info(long address) {
        InstructionInfo info = table.get(address);
        if (info == null) {
            byte[] code = machine.readCode(address);
            String text;
            byte[] bytes;
            if (code.length == 0) {
                text = "?";
                bytes = new byte[] {0};
            } else {
                var insn = machine.disassembler().decode(address, code);
                text = insn.text();
                bytes = insn.bytes();
            }
            info = new InstructionInfo(table.size(), address, machine.symbolize(address), bytes, text,
                    options.source() ? machine.image().source(address) : java.util.Optional.empty());
            table.put(info);
        }
        return info;
    }

    /**
     * Ends the trace: emits the last instruction with the registers at the end, removes the hooks and tells
     * the sink how the call ended.
     *
     * @param result how the traced call ended
     */
    public TraceEnd detach(CallResult result) {
        if (detached) {
            throw new IllegalStateException("tracer already detached");
        }
        try {
            if (full && hasPending) {
                uc.readRegisters(cur);
                if (!started) {
                    started = true;
                    sink.entry(cur);
                }
                flushPending(cur);
            }
        } catch (RuntimeException | Error e) {
            // A sink that failed here (a full disk) must not leave the hooks in the machine for its next call.
            removeHooksAfter(e);
            throw e;
        }
        removeHooks();
        TraceEnd end = new TraceEnd(count, hypercalls, limitReached, result);
        sink.end(end);
        return end;
    }

    /** {@link #removeHooks} on the way out with {@code e}: a second failure of the sink is added to it. */
    private void removeHooksAfter(Throwable e) {
        try {
            removeHooks();
        } catch (RuntimeException | Error sinkFailure) {
            if (sinkFailure != e) {
                e.addSuppressed(sinkFailure);
            }
        }
    }

    private void removeHooks() {
        detached = true;
        interceptor.removeListener(this);
        for (Instrumentation.Hook h : hooks) {
            uc.hookDelete(h);
        }
        hooks.clear();
        Arrays.fill(prev, 0);
        if (sink instanceof TracePipeline p) {
            p.finish(); // the sink's work done and its thread ended; throws the sink's failure
        }
    }

    /** Instructions traced so far. */
    public long instructions() {
        return count;
    }
}
