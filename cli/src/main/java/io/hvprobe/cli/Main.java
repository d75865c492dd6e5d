package io.hvprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code hvprobe} command line with all its subcommands. Exit codes: 0 clean, 1 findings at or above
 * {@code --fail-on}, 2 usage error, 3 input error, 4 internal error.
 */
@Command(subcommands = {CheckCommand.class, MergeCommand.class, RunCommand.class, TraceCommand.class,
        ScanCommand.class, CompareCommand.class, DisasmCommand.class, CommandsCommand.class,
        CommandLine.HelpCommand.class, CompletionCommand.class, FunctionsCommand.class})
public final class Main extends RootCommand {

    /** Exit status: no findings at or above the fail-on level. */
    public static final int EXIT_OK = 0;
    /** Exit status: findings at or above the fail-on level. */
    public static final int EXIT_FINDINGS = 1;
    /** Exit status: bad command line. */
    public static final int EXIT_USAGE = 2;
    /** Exit status: bad input (missing file, not ELF, unknown function, ...). */
    public static final int EXIT_INPUT = 3;
    /** Exit status: a bug in hvprobe. */
    public static final int EXIT_INTERNAL = 4;

    /** Subcommands whose work is describing the whole command line, so they need every subcommand's model. */
    private static final Set<Class<?>> DESCRIBE_ALL = Set.of(CommandLine.HelpCommand.class, CompletionCommand.class);

    /** Builds the configured command line with every subcommand (shared by tests, man pages and completions). */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new Main()), new String[0]);
    }

    /**
     * The command line for {@code args}; their {@code --color} decides the colour of help and usage messages. When
     * {@code args} start with a subcommand's name, only that subcommand is built (picocli's model of all eleven
     * costs about a fifth of a small {@code check}): parsing, help and messages of that subcommand are the same.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = named(args).map(sub -> new CommandLine(new RootCommand()).addSubcommand(sub))
                .orElseGet(() -> new CommandLine(new Main()));
        return configure(cl, args);
    }

    /** The subcommand {@code args} start with, unless it needs the others or there is none. */
    static Optional<Class<?>> named(String[] args) {
        if (args.length == 0) {
            return Optional.empty();
        }
        for (Class<?> sub : Main.class.getAnnotation(Command.class).subcommands()) {
            Command c = sub.getAnnotation(Command.class);
            if (!DESCRIBE_ALL.contains(sub)
                    && (c.name().equals(args[0]) || List.of(c.aliases()).contains(args[0]))) {
                return Optional.of(sub);
            }
        }
        return Optional.empty();
    }

    private static CommandLine configure(CommandLine cl, String[] args) {
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(new ErrorHandler());
        cl.setColorScheme(Colors.scheme(args));
        return cl;
    }

    /** Runs hvprobe with {@code args}. */
    public static void main(String[] args) {
        StartupWarmUp.startFor(args);
        System.exit(commandLine(args).execute(args));
    }
}
