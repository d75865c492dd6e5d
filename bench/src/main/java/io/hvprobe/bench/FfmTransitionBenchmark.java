package io.hvprobe.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An experiment behind a recommendation in docs/BENCHMARKS.md, not a measurement of hvprobe: the cost of one
 * {@code uc_reg_read_batch} of the 18 x86_64 snapshot registers through FFM when the buffers are passed as segments
 * of a shared arena (what {@code io.hvprobe.unicorn.RegisterBatch} does: every downcall acquires and releases the
 * arena's session with atomic operations), of a confined arena, or as plain addresses ({@code JAVA_LONG} parameters,
 * no session at all). Same critical linker option as the binding. Scores are ns per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@SuppressWarnings("restricted")
public class FfmTransitionBenchmark {
    private static final int[] IDS = io.hvprobe.unicorn.GuestRegisterIds.snapshotOrder(io.hvprobe.arch.Arch.X86_64);
    private static final int N = IDS.length;

    private Arena shared;
    private Arena confined;
    private MemorySegment uc;
    private Batch sharedBatch;
    private Batch confinedBatch;
    private MethodHandle bySegment;
    private MethodHandle byAddress;
    private MethodHandle close;

    private record Batch(MemorySegment ids, MemorySegment values, MemorySegment pointers) {
        static Batch in(Arena arena) {
            MemorySegment ids = arena.allocate(JAVA_INT, N);
            MemorySegment values = arena.allocate(JAVA_LONG, N);
            MemorySegment pointers = arena.allocate(ADDRESS, N);
            for (int i = 0; i < N; i++) {
                ids.setAtIndex(JAVA_INT, i, IDS[i]);
                pointers.setAtIndex(ADDRESS, i, values.asSlice(8L * i, JAVA_LONG));
            }
            return new Batch(ids, values, pointers);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup("libunicorn.so.2", Arena.global());
        MethodHandle open = linker.downcallHandle(lib.find("uc_open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        var fn = lib.find("uc_reg_read_batch").orElseThrow();
        bySegment = linker.downcallHandle(fn, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT),
                Linker.Option.critical(true));
        byAddress = linker.downcallHandle(fn, FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                JAVA_INT), Linker.Option.critical(true));
        close = linker.downcallHandle(lib.find("uc_close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        shared = Arena.ofShared();
        confined = Arena.ofConfined();
        MemorySegment out = shared.allocate(ADDRESS);
        int err = (int) open.invokeExact(4 /* UC_ARCH_X86 */, 8 /* UC_MODE_64 */, out);
        if (err != 0) {
            throw new IllegalStateException("uc_open: " + err);
        }
        uc = out.get(ADDRESS, 0);
        sharedBatch = Batch.in(shared);
        confinedBatch = Batch.in(confined);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Throwable {
        int ignored = (int) close.invokeExact(uc);
        shared.close();
        confined.close();
    }

    @Benchmark
    public int sharedArenaSegments() throws Throwable {
        Batch b = sharedBatch;
        return (int) bySegment.invokeExact(uc, b.ids(), b.pointers(), N);
    }

    @Benchmark
    public int confinedArenaSegments() throws Throwable {
        Batch b = confinedBatch;
        return (int) bySegment.invokeExact(uc, b.ids(), b.pointers(), N);
    }

    @Benchmark
    public int rawAddresses() throws Throwable {
        Batch b = sharedBatch;
        return (int) byAddress.invokeExact(uc.address(), b.ids().address(), b.pointers().address(), N);
    }
}
