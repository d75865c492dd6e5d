package io.hvprobe.cli;

import io.hvprobe.disasm.Disassembler;
import io.hvprobe.unicorn.BindingWarmUp;

import java.util.List;
import java.util.Set;

/**
 * Start-up work of the commands that run guest code which depends on nothing on their command line: opening
 * Unicorn and Capstone, the binding's downcall handles and upcall stubs. It runs on a second thread while the main
 * thread builds the command line's model, parses it and loads the objects, so on two cores it costs little wall
 * time (docs/BENCHMARKS.md, "Start-up, fourth round").
 *
 * <p>Results are unchanged by construction: the main thread still does each step itself, and each step is done
 * once per JVM and kept (the JDK's class initialisation and its caches of stubs and method-handle forms), so the
 * main thread either finds it done or waits for the second thread to finish it. Failures are kept the same way:
 * Unicorn's missing library or function becomes its load error, which the first engine reports; Capstone's load
 * repeats its first failure to every later caller. So a command meets, where it first needs a library, exactly the
 * error it would have met without this.
 */
final class StartupWarmUp {
    /** The subcommands that emulate guest code: each needs both libraries. */
    private static final Set<Class<?>> RUN_GUEST_CODE = Set.of(CheckCommand.class, RunCommand.class,
            TraceCommand.class, CompareCommand.class);
    /** Options after which a command prints and ends without running anything. */
    private static final Set<String> DESCRIBE_ONLY = Set.of("-h", "--help", "-V", "--version");

    private StartupWarmUp() {
    }

    /** Starts the work on a daemon thread if {@code args} name a command that will need it; else does nothing. */
    static void startFor(String[] args) {
        if (needed(args)) {
            Thread.ofPlatform().daemon().name("hvprobe-warm-up").start(StartupWarmUp::run);
        }
    }

    /** True if {@code args} run a subcommand that emulates guest code, not just its help or version. */
    static boolean needed(String[] args) {
        return Main.named(args).filter(RUN_GUEST_CODE::contains).isPresent()
                && List.of(args).stream().noneMatch(DESCRIBE_ONLY::contains);
    }

    private static void run() {
        BindingWarmUp.run();
        try {
            Disassembler.load();
        } catch (RuntimeException kept) {
            // Kept by the library and thrown again to the command where it first decodes code.
        }
    }
}
