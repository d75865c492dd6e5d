package io.hvprobe.trace;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link TraceSink} in front of another that, once a trace is long enough to pay for a thread, hands the calls
 * to a second thread through a bounded ring: the emulating thread then only copies each instruction's registers
 * into the ring, and the writer's formatting and I/O run on the other core, in the same order, with the same
 * arguments. The target sees exactly the calls it would have seen, so its output is byte-identical.
 *
 * <p>When: after {@link #THRESHOLD} calls on a machine with at least two processors. Starting and stopping a
 * thread costs tens of microseconds; a traced instruction passed through the ring saves 55–85 ns of formatting
 * and writing on the emulating thread (docs/BENCHMARKS.md), so the thread pays for itself after about a thousand
 * instructions. Short traces (a hypercall wrapper is tens of instructions) never start one.
 *
 * <p>Bounded: the ring holds {@link #SLOTS} calls; a full ring makes the emulating thread wait. A failure of the
 * target (a write error, a formatter exception) stops the second thread and is thrown, as the same throwable, by
 * the emulating thread's next call, or by {@link #finish}. {@link #finish} drains the ring and ends the thread;
 * afterwards calls go to the target directly again, so no thread outlives the trace.
 *
 * <p>{@link TraceSink#start}, {@link TraceSink#end} and {@link TraceSink#close} always run on the caller's
 * thread: {@code end} and {@code close} after {@link #finish}.
 *
 * <p>The caller's side of the bargain (the {@link Tracer} keeps it): an array passed as an instruction's or the
 * entry's registers is not written to until it has been passed as the next instruction's {@code before}, if it
 * is; so an identical array there means identical values, and only the {@code after} values cross the ring.
 */
final class TracePipeline implements TraceSink {
    /** Calls passed straight through before the pipeline starts (see the class comment for why this many). */
    static final long THRESHOLD = 4096;
    /**
     * Calls in flight at most: 8,192 slots of two register arrays, 2.4 MB (x86_64) to 4.5 MB (arm64), allocated
     * when the pipeline first starts. Deep enough that the emulating thread (≈ 1.6 ms of tracing ahead) does not
     * run into a full ring while the writer wakes up: an idle vCPU's wake-up took tens to hundreds of µs here.
     */
    static final int SLOTS = 8192;
    /** Calls written between two publications of the write position (one volatile store per batch). */
    private static final int BATCH = 64;
    /**
     * Calls waiting before a parked writer thread is woken: a wake-up is a system call on both sides, so the writer
     * sleeps until it has an eighth of the ring to do (or the ring is full, or the trace ends). Neither thread
     * busy-waits: on a shared machine a spinning thread takes the core the other one needs.
     */
    private static final int WAKE = SLOTS / 8;
    /**
     * A parked thread re-checks at least this often, so a missed wake-up would cost time, never a hang; rarely
     * enough that the writer of a tracer its user never detaches costs next to nothing while it waits.
     */
    private static final long PARK_NANOS = 10_000_000;

    /** The sink call a slot holds. */
    private enum Call { INSTRUCTION, INSTRUCTION_WITH_WRITES, ENTRY, HYPERCALL_ENTER, HYPERCALL_EXIT }

    private static final Call[] CALLS = Call.values();

    private static final MemoryWrites NO_WRITES = new MemoryWrites();

    private final TraceSink target;
    private final int registers;
    private final long threshold;

    // Per slot, in primitive arrays where the common call (an instruction without memory writes) needs nothing
    // else: a reference store into an old array costs the emulating thread a GC write barrier.
    /** Per slot: the {@link Call}'s ordinal. */
    private byte[] kinds;
    /** Per slot: an instruction's {@link InstructionInfo#id()}, an index into {@link #instructions}. */
    private int[] instructionIds;
    /** The instructions seen, by id: written before the slots that name them are published. */
    private InstructionInfo[] instructions = new InstructionInfo[256];
    /** Per slot: an instruction's index in the trace. */
    private long[] indices;
    /** Per slot: a hypercall's digest, or an instruction's memory writes (a copy). */
    private Object[] refs;
    /** Per slot: the registers before the instruction, unless {@link #sameBefore}. */
    private long[][] before;
    private long[][] after;
    /**
     * Per slot: the instruction's registers before equal the previous instruction's (or the entry's) after, so
     * only its after was copied: half the bytes that cross to the other core in the common case.
     */
    private boolean[] sameBefore;
    /** Writer thread only: the registers after the last instruction or entry passed on. */
    private final long[] lastAfter;

    // Emulating thread only.
    private long direct;
    private long head;
    private long freeUpTo;
    /** The caller's array passed as the last instruction's after or the entry, or null. */
    private long[] lastCallerAfter;
    private Thread worker;
    /** Whether the emulating thread has thrown {@link #failure} already ({@link #finish} then does not). */
    private boolean failureDelivered;

    // Shared: positions are published in batches; a waiting side sets its flag, re-checks, then parks.
    private volatile long published;
    private volatile long consumed;
    private volatile boolean closing;
    private volatile boolean workerWaiting;
    private volatile boolean producerWaiting;
    private volatile Throwable failure;
    private Thread producer;

    private TracePipeline(TraceSink target, int registers, long threshold) {
        this.target = target;
        this.registers = registers;
        this.threshold = threshold;
        this.lastAfter = new long[registers];
    }

    /**
     * {@code target} behind a pipeline that starts after {@code threshold} calls, or {@code target} itself where
     * a second thread cannot help (one processor).
     *
     * @param registers the length of the register arrays the tracer passes
     */
    static TraceSink around(TraceSink target, int registers, long threshold) {
        return Runtime.getRuntime().availableProcessors() < 2 ? target : of(target, registers, threshold);
    }

    /** {@code target} behind a pipeline that starts after {@code threshold} calls, whatever the processors. */
    static TracePipeline of(TraceSink target, int registers, long threshold) {
        return new TracePipeline(target, registers, threshold);
    }

    /** Whether calls currently go through the second thread. */
    boolean running() {
        return worker != null;
    }

    @Override
    public void start(TraceStart start) {
        finish();
        target.start(start);
    }

    @Override
    public void entry(long[] registers) {
        if (passThrough()) {
            target.entry(registers);
            return;
        }
        int s = claim();
        kinds[s] = (byte) Call.ENTRY.ordinal();
        System.arraycopy(registers, 0, after[s], 0, this.registers);
        lastCallerAfter = registers;
        commit();
    }

    @Override
    public void instruction(long index, InstructionInfo insn, long[] before, long[] after, MemoryWrites writes) {
        if (passThrough()) {
            target.instruction(index, insn, before, after, writes);
            return;
        }
        int s = claim();
        kinds[s] = (byte) (writes.total() == 0 ? Call.INSTRUCTION : Call.INSTRUCTION_WITH_WRITES).ordinal();
        indices[s] = index;
        int id = insn.id();
        if (id >= instructions.length || instructions[id] != insn) {
            remember(insn);
        }
        instructionIds[s] = id;
        boolean same = before == lastCallerAfter;
        sameBefore[s] = same;
        if (!same) {
            System.arraycopy(before, 0, this.before[s], 0, registers);
        }
        System.arraycopy(after, 0, this.after[s], 0, registers);
        lastCallerAfter = after;
        if (writes.total() != 0) {
            refs[s] = writes.copy();
        }
        commit();
    }

    @Override
    public void hypercallEnter(HypercallDigest call) {
        if (passThrough()) {
            target.hypercallEnter(call);
            return;
        }
        int s = claim();
        kinds[s] = (byte) Call.HYPERCALL_ENTER.ordinal();
        refs[s] = call;
        commit();
    }

    @Override
    public void hypercallExit(HypercallDigest call) {
        if (passThrough()) {
            target.hypercallExit(call);
            return;
        }
        int s = claim();
        kinds[s] = (byte) Call.HYPERCALL_EXIT.ordinal();
        refs[s] = call;
        commit();
    }

    @Override
    public void end(TraceEnd end) {
        finish();
        target.end(end);
    }

    @Override
    public void close() {
        finish();
        target.close();
    }

    /**
     * Waits until the second thread has passed every call on and ended, then sends calls to the target directly
     * again. Throws the target's failure if the emulating thread has not thrown it already. Idempotent.
     */
    void finish() {
        if (worker == null) {
            return;
        }
        published = head;
        closing = true;
        LockSupport.unpark(worker);
        boolean interrupted = false;
        while (true) {
            try {
                worker.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        worker = null;
        direct = 0;
        Throwable f = failure;
        if (f != null && !failureDelivered) {
            failureDelivered = true;
            throw rethrow(f);
        }
    }

    private boolean passThrough() {
        if (worker != null) {
            checkFailure(); // a failed target gets no further calls
            return false;
        }
        if (direct < threshold || failure != null) {
            direct++;
            return true;
        }
        startWorker();
        return false;
    }

    private void startWorker() {
        if (kinds == null) {
            kinds = new byte[SLOTS];
            instructionIds = new int[SLOTS];
            indices = new long[SLOTS];
            refs = new Object[SLOTS];
            before = new long[SLOTS][registers];
            after = new long[SLOTS][registers];
            sameBefore = new boolean[SLOTS];
        }
        producer = Thread.currentThread();
        closing = false;
        head = 0;
        published = 0;
        consumed = 0;
        freeUpTo = SLOTS;
        lastCallerAfter = null;
        Thread t = new Thread(this::drain, "hvprobe-trace-writer");
        t.setDaemon(true); // a tracer its user never detaches must not keep the JVM alive
        worker = t;
        t.start();
    }

    /** The slot for the next call, waiting while the ring is full; rethrows the target's failure. */
    private int claim() {
        if (head == freeUpTo) {
            published = head;
            wakeWorker();
            waitForRoom();
        }
        return (int) (head & (SLOTS - 1));
    }

    private void commit() {
        head++;
        if ((head & (BATCH - 1)) == 0) {
            published = head;
            if (workerWaiting && head - consumed >= WAKE) {
                LockSupport.unpark(worker);
            }
        }
    }

    private void wakeWorker() {
        if (workerWaiting) {
            LockSupport.unpark(worker);
        }
    }

    private void waitForRoom() {
        while (true) {
            checkFailure();
            long free = consumed + SLOTS;
            if (head < free) {
                freeUpTo = free;
                return;
            }
            producerWaiting = true;
            if (consumed + SLOTS == free && failure == null) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            producerWaiting = false;
        }
    }

    private void checkFailure() {
        Throwable f = failure;
        if (f != null) {
            failureDelivered = true;
            throw rethrow(f);
        }
    }

    private static RuntimeException rethrow(Throwable f) {
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("trace sink failed", f);
    }

    /** The second thread: passes calls on in order until {@link #finish} and the ring is empty. */
    private void drain() {
        long tail = 0;
        try {
            while (true) {
                long available = published;
                if (tail == available) {
                    if (closing && tail == published) {
                        return;
                    }
                    workerWaiting = true;
                    if (published == available && !closing) {
                        LockSupport.parkNanos(this, PARK_NANOS);
                    }
                    workerWaiting = false;
                    continue;
                }
                for (; tail < available; tail++) {
                    pass((int) (tail & (SLOTS - 1)));
                }
                consumed = tail;
                if (producerWaiting) {
                    LockSupport.unpark(producer);
                }
            }
        } catch (Throwable t) {
            failure = t;
            LockSupport.unpark(producer);
        }
    }

    private void pass(int s) {
        switch (CALLS[kinds[s]]) {
            case INSTRUCTION -> passInstruction(s, NO_WRITES);
            case INSTRUCTION_WITH_WRITES -> passInstruction(s, (MemoryWrites) refs[s]);
            case ENTRY -> {
                target.entry(after[s]);
                System.arraycopy(after[s], 0, lastAfter, 0, registers);
            }
            case HYPERCALL_ENTER -> target.hypercallEnter((HypercallDigest) refs[s]);
            case HYPERCALL_EXIT -> target.hypercallExit((HypercallDigest) refs[s]);
        }
        // refs[s] is left for the producer to overwrite: clearing it here would move its cache line to this core
        // and back once more per call. At most SLOTS digests and memory-write copies stay reachable.
    }

    private void passInstruction(int s, MemoryWrites writes) {
        target.instruction(indices[s], instructions[instructionIds[s]], sameBefore[s] ? lastAfter : before[s],
                after[s], writes);
        System.arraycopy(after[s], 0, lastAfter, 0, registers);
    }

    /** Records {@code insn} under its id for the writer thread (once per instruction address). */
    private void remember(InstructionInfo insn) {
        int id = insn.id();
        if (id >= instructions.length) {
            // A new array: the writer thread may still read the old one, which keeps every entry it can need.
            instructions = Arrays.copyOf(instructions, Math.max(instructions.length * 2, id + 1));
        }
        instructions[id] = insn;
    }
}
