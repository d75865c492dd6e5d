package io.hvprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hvprobe} command itself: its name, help options, version, description and footer, without the
 * subcommands, which {@link Main} declares. A run that names one subcommand builds this and that subcommand only
 * ({@link Main#commandLine(String[])}), so it does not pay for the model of the other ten.
 */
@Command(name = "hvprobe", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Runs compiled guest code in an emulator and checks every hypercall against a hypervisor model.",
        footer = {"", "Examples:",
                "  hvprobe scan vmw.o                          # where are the trap sites?",
                "  hvprobe run vmw.o --function hv_detect      # run one function, verify it",
                "  hvprobe check build/ --format sarif -o hvprobe.sarif",
                "  hvprobe help trace                          # help of one command",
                "  source <(hvprobe generate-completion)       # tab completion in bash",
                "", "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error, 3 input error,"
                + " 4 internal error."})
class RootCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }
}
