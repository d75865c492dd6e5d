package io.hvprobe.cli;

import io.hvprobe.disasm.Disassembler;
import io.hvprobe.spi.Hypervisors;
import io.hvprobe.unicorn.BindingWarmUp;
import picocli.CommandLine;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Start-up work of the commands that run guest code which depends on nothing on their command line: reading the
 * picocli annotations of the command (the JDK makes a proxy class per annotation type on first use, the slowest
 * part of building picocli's model), finding the models, opening Capstone and Unicorn, the binding's downcall
 * handles and upcall stubs.
 * It runs on a second thread while the main thread builds the command line's model, parses it and loads the
 * objects, so on two cores it costs little wall time (docs/BENCHMARKS.md, "Start-up, fourth round").
 *
 * <p>Results are unchanged by construction: the main thread still does each step itself, and each step is done
 * once per JVM and kept (the JDK's class initialisation, its parsed annotations and its caches of proxy classes,
 * stubs and method-handle forms), so the main thread either finds it done or waits for the second thread to finish
 * it. Failures are kept the same way: Unicorn's missing library or function becomes its load error, which the first
 * engine reports; Capstone's load repeats its first failure to every later caller; an annotation that cannot be
 * read is read again, and fails again, where picocli reads it. So a command meets, where it first needs a library,
 * exactly the error it would have met without this.
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
        guestRunning(args).ifPresent(command ->
                Thread.ofPlatform().daemon().name("hvprobe-warm-up").start(() -> run(command)));
    }

    /** True if {@code args} run a subcommand that emulates guest code, not just its help or version. */
    static boolean needed(String[] args) {
        return guestRunning(args).isPresent();
    }

    /** The subcommand {@code args} run if it emulates guest code and they ask for more than its help or version. */
    private static Optional<Class<?>> guestRunning(String[] args) {
        return Main.named(args).filter(RUN_GUEST_CODE::contains)
                .filter(command -> List.of(args).stream().noneMatch(DESCRIBE_ONLY::contains));
    }

    /** The steps in the order the main thread first needs them. */
    private static void run(Class<?> command) {
        try {
            readAnnotations(command);
            // The models: the CLI's class path is its own jar, so these are hvprobe's plugins, whose static
            // initialisers cannot fail on one thread and not on another.
            Hypervisors.all();
        } catch (RuntimeException | LinkageError again) {
            // Not kept: picocli reads the same annotation, the command looks the models up again, and either
            // meets the same failure.
        }
        try {
            Disassembler.load();
        } catch (RuntimeException kept) {
            // Kept by the library and thrown again to the command where it first decodes code.
        }
        BindingWarmUp.run();
    }

    /** Reads the annotations of {@code command}, its fields and methods, and those of its mixins, transitively. */
    private static void readAnnotations(Class<?> command) {
        List<Class<?>> classes = new ArrayList<>(List.of(command));
        for (int i = 0; i < classes.size(); i++) {
            Class<?> c = classes.get(i);
            c.getDeclaredAnnotations();
            for (AccessibleObject member : c.getDeclaredMethods()) {
                member.getDeclaredAnnotations();
            }
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(CommandLine.Mixin.class) && !classes.contains(field.getType())) {
                    classes.add(field.getType());
                }
            }
        }
    }
}
