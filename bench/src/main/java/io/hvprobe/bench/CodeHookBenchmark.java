package io.hvprobe.bench;

import io.hvprobe.arch.Arch;
import io.hvprobe.unicorn.GuestRegisterIds;
import io.hvprobe.unicorn.Unicorn;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of tracing: an arithmetic guest loop of 3,001 instructions with a code hook on every instruction that
 * reads all snapshot registers in one batch call ({@code tracedInstruction}), against the same loop without
 * hooks ({@code plainInstruction}). Scores are per guest instruction.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodeHookBenchmark {
    private static final int INSTRUCTIONS = 1 + 3 * GuestLoops.ITERATIONS;

    @Param({"X86_64", "ARM64"})
    public Arch arch;

    private Unicorn plain;
    private Unicorn traced;
    private GuestLoops.Loop loop;
    private long checksum;
    private long hookCalls;

    @Setup(Level.Trial)
    public void setUp() {
        loop = GuestLoops.arithmeticLoop(arch);
        plain = GuestLoops.load(arch);
        traced = GuestLoops.load(arch);
        int[] ids = GuestRegisterIds.snapshotOrder(arch);
        long[] values = new long[ids.length];
        traced.hookCode(loop.begin(), loop.end(), (u, address, size) -> {
            u.regReadBatch(ids, values);
            checksum += values[0];
            hookCalls++;
        });
        tracedInstruction();
        if (hookCalls != INSTRUCTIONS) {
            throw new IllegalStateException("expected " + INSTRUCTIONS + " hooked instructions per run, saw " + hookCalls);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plain.close();
        traced.close();
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public Object tracedInstruction() {
        traced.emuStart(loop.begin(), loop.end(), 0, 0);
        return checksum;
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public Object plainInstruction() {
        return plain.emuStart(loop.begin(), loop.end(), 0, 0);
    }
}
