package io.hvprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hvprobe} command line. Exit codes: 0 clean, 1 findings at or above {@code --fail-on},
 * 2 usage error, 3 input error, 4 internal error.
 */
@Command(name = "hvprobe", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runs compiled guest code in an emulator and checks every hypercall against a hypervisor model.",
        subcommands = {CheckCommand.class, MergeCommand.class, RunCommand.class, TraceCommand.class, ScanCommand.class, CompareCommand.class, DisasmCommand.class, CommandsCommand.class, CommandLine.HelpCommand.class,
                CompletionCommand.class, FunctionsCommand.class},
        footer = {"", "Examples:",
                "  hvprobe scan vmw.o                          # where are the trap sites?",
                "  hvprobe run vmw.o --function hv_detect      # run one function, verify it",
                "  hvprobe check build/ --format sarif -o hvprobe.sarif",
                "  hvprobe help trace                          # help of one command",
                "  source <(hvprobe generate-completion)       # tab completion in bash",
                "", "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error, 3 input error,"
                + " 4 internal error."})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

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

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** Builds the configured command line (shared by {@link #main} and tests). */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /** The command line for {@code args}; their {@code --color} decides the colour of help and usage messages. */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(new ErrorHandler());
        cl.setColorScheme(Colors.scheme(args));
        return cl;
    }

    /** Runs hvprobe with {@code args}. */
    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }
}
