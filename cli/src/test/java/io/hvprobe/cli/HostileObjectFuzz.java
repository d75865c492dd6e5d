package io.hvprobe.cli;

import io.hvprobe.api.Probe;
import io.hvprobe.guest.MachineOptions;
import io.hvprobe.loader.GuestSymbol;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded mutants of small guest objects compiled at test time — relocatable objects (gcc and clang), static
 * executables ({@code ET_EXEC}), position-independent executables and shared objects ({@code ET_DYN}), for x86_64
 * and arm64 — each driven in-process through {@code hvprobe scan} and through what {@code hvprobe check} runs
 * (load, trap scan, {@code TrapReach}, a verified run of every entry function) with a small instruction budget.
 * Every mutant must end in exit 0, 1 or 3, a 3 with exactly one line on stderr; none may reach exit 4 or let a
 * Throwable escape, and none may allocate more than {@link #ALLOCATION_BOUND} bytes on the way.
 *
 * <p>Why a plain seeded mutator rather than Jazzer: the mutants must be the same on every run and every machine
 * (a failure names its seed and mutant and reproduces exactly), the run must fit a fixed CI time, and ELF bugs
 * hide behind structure (a symbol's size, a section's address, a program header) that a structure-aware mutator
 * reaches directly while coverage-guided byte mutation needs long runs to find it. Raise the count with
 * {@code -Dhvprobe.fuzz.mutants=N} and vary {@code -Dhvprobe.fuzz.seed=S} for a deeper local run.
 *
 * <p>The mutants are dealt to {@link #SHARDS} test classes (mutant {@code i} to shard {@code i % SHARDS}), so the
 * build's two test JVMs share them; together they run every mutant once. The work is bounded by the mutant count
 * and {@link #BUDGET}, not by the clock (a hang ends with the test JVM: hvprobe.test.hangGuardSeconds, pom.xml).
 */
abstract class HostileObjectFuzz {
    /** How many classes share the mutants: one per test JVM of the build (hvprobe.test.forks). */
    static final int SHARDS = 2;
    private static final int MUTANTS = Integer.getInteger("hvprobe.fuzz.mutants", 2_400);
    private static final long SEED = Long.getLong("hvprobe.fuzz.seed", 0x5eed_0b1ecL);
    /** Instructions per call: enough for every base function, small enough that looping mutants end quickly. */
    private static final long BUDGET = 2_000;
    /** Most bytes one mutant may allocate on the test thread (the bases are under 7 KiB each). */
    private static final long ALLOCATION_BOUND = 64L << 20;

    /** Guest code with a backdoor wrapper the compiler keeps out of line, its callers, a data table and a loop. */
    private static final String SOURCE = """
            static unsigned counter;
            unsigned char table[64] = {1, 2, 3};
            __attribute__((noinline)) static unsigned long hc(unsigned long cmd, unsigned long arg) {
            #if defined(__x86_64__)
                unsigned long ax = 0x564D5868, bx = arg, cx = cmd, dx = 0x5658;
                __asm__ volatile("inl %%dx, %%eax" : "+a"(ax), "+b"(bx), "+c"(cx), "+d"(dx) :: "memory");
                return ax + bx;
            #else
                register unsigned long x0 __asm__("x0") = 0x564D5868;
                register unsigned long x1 __asm__("x1") = arg;
                register unsigned long x2 __asm__("x2") = cmd;
                register unsigned long x3 __asm__("x3") = 0x5658;
                __asm__ volatile("mrs xzr, mdccsr_el0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) :: "memory");
                return x0 + x1;
            #endif
            }
            unsigned long hv_version(void) { counter++; return hc(10, ~0UL) + counter; }
            unsigned long hv_sum(unsigned long n) {
                unsigned long s = 0;
                for (unsigned long i = 0; i < n && i < 64; i++) s += table[i];
                return s + hc(10, s);
            }
            unsigned long (*hook)(void) = hv_version;
            unsigned long spin(unsigned long n) {
                unsigned long s = 0;
                while (n--) { __asm__ volatile("" : "+r"(s)); s += n; }
                return s + hc(10, s);
            }
            """;

    private static final List<String> LINK = List.of("-O2", "-nostdlib", "-Wl,-z,max-page-size=4096",
            "-Wl,-z,noseparate-code", "-Wl,--build-id=none", "-Wl,--hash-style=gnu");

    /** One pristine object to mutate. */
    private record Base(String name, byte[] bytes) {
    }

    @TempDir
    static Path dir;
    private static final List<Base> BASES = new ArrayList<>();

    /**
     * The command line every {@code scan} of this class runs through: picocli resets the options before each
     * {@code execute}, so one instance serves all mutants (building one took a quarter of the CPU of a run).
     */
    private final CommandLine cli = Main.commandLine();

    /** Which mutants this class runs: those whose number leaves this remainder divided by {@link #SHARDS}. */
    abstract int shard();

    @BeforeAll
    static void compileBases() throws Exception {
        BASES.clear(); // both shards may run in one JVM (-Dhvprobe.test.forks=1)
        Path src = dir.resolve("guest.c");
        Files.writeString(src, SOURCE);
        for (String[] cc : new String[][] {{"gcc"}, {"aarch64-linux-gnu-gcc"}}) {
            String arch = cc[0].startsWith("aarch64") ? "arm64" : "x86_64";
            compile(List.of(cc), List.of("-O2", "-c"), src, "gcc-" + arch + ".o");
            compile(List.of(cc), join(LINK, "-static", "-no-pie", "-fno-pie", "-Wl,-e,hv_version"), src,
                    "gcc-" + arch + ".exec");
            compile(List.of(cc), join(LINK, "-fPIE", "-pie", "-Wl,-e,hv_version"), src, "gcc-" + arch + ".pie");
            compile(List.of(cc), join(LINK, "-fPIC", "-shared"), src, "gcc-" + arch + ".so");
        }
        compile(List.of("clang"), List.of("-O2", "-c"), src, "clang-x86_64.o");
        compile(List.of("clang", "--target=aarch64-linux-gnu"), List.of("-O2", "-c"), src, "clang-arm64.o");
    }

    @Test
    void noMutantReachesAnInternalErrorAnEscapedThrowableOrAnUnboundedAllocation() throws Exception {
        assertThat(BASES).hasSize(10);
        List<ElfMutator> mutators = new ArrayList<>();
        for (Base b : BASES) {
            assertThat(scan(write(b.name(), b.bytes())).exit()).as("pristine %s scans", b.name())
                    .isEqualTo(Main.EXIT_OK);
            mutators.add(new ElfMutator(b.name(), b.bytes()));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        List<String> failures = new ArrayList<>();
        int[] exits = new int[5];
        long mostAllocated = 0;
        long cpu = threads.getCurrentThreadCpuTime();
        com.sun.management.OperatingSystemMXBean process =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long processCpu = process.getProcessCpuTime();
        int count = 0;
        for (int i = shard(); i < MUTANTS; i += SHARDS) {
            count++;
            Base base = BASES.get(i % BASES.size());
            ElfMutator.Mutant m = mutators.get(i % BASES.size()).mutate(new SplittableRandom(SEED + i));
            String label = "mutant " + i + " of " + base.name() + " (" + m.description() + ")";
            long before = threads.getThreadAllocatedBytes(thread);
            try {
                Path file = write("m" + i + "-" + base.name(), m.bytes());
                Outcome scan = scan(file);
                exits[scan.exit()]++;
                String problem = judge("scan", scan);
                if (problem == null && scan.exit() == Main.EXIT_OK) {
                    Outcome check = check(file);
                    exits[check.exit()]++;
                    problem = judge("check", check);
                }
                if (problem != null) {
                    failures.add(label + ": " + problem);
                }
                Files.delete(file);
            } catch (Throwable t) {
                failures.add(label + ": escaped " + t);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            mostAllocated = Math.max(mostAllocated, allocated);
            if (allocated > ALLOCATION_BOUND) {
                failures.add(label + ": allocated " + allocated + " bytes");
            }
        }
        // CPU times, not the wall clock, tell what the run costs on a quiet CI machine (2 cores).
        System.out.printf("fuzz: %d of %d mutants (shard %d of %d), seed 0x%x: exits 0=%d 1=%d 3=%d (scan and check),"
                + " most allocated by one %d KiB, %d ms CPU on the test thread, %d ms CPU in the whole JVM%n", count,
                MUTANTS, shard(), SHARDS, SEED, exits[0],
                exits[1], exits[3], mostAllocated >> 10, (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000,
                (process.getProcessCpuTime() - processCpu) / 1_000_000);
        assertThat(failures).as("mutants that crashed hvprobe").isEmpty();
        assertThat(exits[Main.EXIT_INPUT]).as("mutants rejected with one line").isGreaterThan(count / 10);
        assertThat(exits[Main.EXIT_OK] + exits[Main.EXIT_FINDINGS]).as("mutants that loaded and ran")
                .isGreaterThan(count / 4);
    }

    /** What a command ended with: the exit status and its standard error. */
    private record Outcome(int exit, String err) {
    }

    /** Null when {@code o} is an acceptable end; otherwise what is wrong with it. */
    private static String judge(String step, Outcome o) {
        return switch (o.exit()) {
            case Main.EXIT_OK, Main.EXIT_FINDINGS -> null;
            case Main.EXIT_INPUT -> o.err().startsWith("hvprobe: ") && o.err().indexOf('\n') == o.err().length() - 1
                    ? null : step + " input error is not one line: " + o.err();
            default -> step + " exit " + o.exit() + ": " + o.err();
        };
    }

    private Outcome scan(Path file) {
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(err));
        return new Outcome(cli.execute("scan", file.toString()), err.toString());
    }

    /**
     * What {@code hvprobe check FILE} runs, through the class it uses ({@link CheckRunner}), with the default plan's
     * calls and judgement but a budget of {@link #BUDGET} instructions per call; errors are classified as the
     * command line's {@link ErrorHandler} does.
     */
    private static Outcome check(Path file) throws Exception {
        CheckRunner runner = new CheckRunner(new BudgetPlan(), VerifyOptions.defaults(),
                List.of(new CheckRunner.ProfileChoice("vmware", Models.options(""))));
        try {
            CheckRunner.Outcome o = runner.run(List.of(new CheckTarget(file, file.getFileName().toString(), "")), 1,
                    Progress.start(1, true));
            boolean findings = o.results().stream().anyMatch(r -> !r.findings().isEmpty());
            return new Outcome(findings ? Main.EXIT_FINDINGS : Main.EXIT_OK, "");
        } catch (Exception e) {
            CommandLine cl = Main.commandLine();
            StringWriter err = new StringWriter();
            cl.setErr(new PrintWriter(err));
            int exit = new ErrorHandler().handleExecutionException(e, cl, cl.parseArgs("check", file.toString()));
            return new Outcome(exit, err.toString());
        }
    }

    /** The default plan with a small instruction budget per call. */
    private static final class BudgetPlan implements FunctionPlan {
        private final SyntheticPlan synthetic = new SyntheticPlan();

        @Override
        public MachineOptions machine() {
            return synthetic.machine().withInstructionBudget(BUDGET);
        }

        @Override
        public List<GuestSymbol> functions(Probe probe, PlanContext context) {
            return synthetic.functions(probe, context);
        }

        @Override
        public List<PlannedCall> calls(PlanContext context, GuestSymbol function) {
            return synthetic.calls(context, function);
        }

        @Override
        public List<LocatedFinding> assess(PlanContext context, PlannedCall call, Verification verification) {
            return synthetic.assess(context, call, verification);
        }
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static void compile(List<String> compiler, List<String> flags, Path src, String output)
            throws IOException, InterruptedException {
        Path out = dir.resolve(output);
        List<String> cmd = new ArrayList<>(compiler);
        cmd.addAll(flags);
        cmd.addAll(List.of(src.toString(), "-o", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s (compilers are required: gcc, clang, aarch64-linux-gnu-gcc)\n%s", cmd, log)
                .isZero();
        BASES.add(new Base(output, Files.readAllBytes(out)));
    }

    private static List<String> join(List<String> a, String... b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(List.of(b));
        return out;
    }
}
