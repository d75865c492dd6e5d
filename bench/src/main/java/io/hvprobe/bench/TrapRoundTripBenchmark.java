package io.hvprobe.bench;

import io.hvprobe.arch.Arch;
import io.hvprobe.unicorn.UcArm64Reg;
import io.hvprobe.unicorn.UcX86Reg;
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
 * Cost of one intercepted hypercall trap: a guest loop of {@value GuestLoops#ITERATIONS} traps
 * ({@code in eax, dx} / {@code mrs xzr, mdccsr_el0}), each caught by a code hook on its exact address that
 * writes two result registers (one batch call) and moves the program counter past the trap. The score is per trap
 * and includes the loop's own two instructions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TrapRoundTripBenchmark {
    @Param({"X86_64", "ARM64"})
    public Arch arch;

    private Unicorn uc;
    private GuestLoops.Loop loop;
    private long traps;

    @Setup(Level.Trial)
    public void setUp() {
        uc = GuestLoops.load(arch);
        loop = GuestLoops.trapLoop(arch);
        int[] resultIds = arch == Arch.X86_64
                ? new int[] {UcX86Reg.RAX, UcX86Reg.RBX} // ECX is the loop counter
                : new int[] {UcArm64Reg.X0, UcArm64Reg.X2}; // X1 is the loop counter
        long[] results = {0x1234, 0x5678};
        int length = GuestLoops.trapLength(arch);
        uc.hookCode(loop.site(), loop.site(), (u, address, size) -> {
            traps++;
            u.regWriteBatch(resultIds, results);
            u.setPc(address + length);
        });
        interceptedTrap();
        if (traps != GuestLoops.ITERATIONS) {
            throw new IllegalStateException("expected " + GuestLoops.ITERATIONS + " traps per run, saw " + traps);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        uc.close();
    }

    @Benchmark
    @OperationsPerInvocation(GuestLoops.ITERATIONS)
    public Object interceptedTrap() {
        return uc.emuStart(loop.begin(), loop.end(), 0, 0);
    }
}
