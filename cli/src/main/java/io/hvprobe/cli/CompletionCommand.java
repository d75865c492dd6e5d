package io.hvprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code hvprobe generate-completion}: prints the completion script of a shell. */
@Command(name = "generate-completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script (bash; zsh loads the bash script; fish).",
        footer = {"", "Examples:",
                "  source <(hvprobe generate-completion)   # bash; zsh too (bashcompinit)",
                "  hvprobe generate-completion --shell fish > hvprobe.fish",
                "", "Exit status: 0 printed, 2 usage."})
final class CompletionCommand implements Callable<Integer> {
    @Option(names = "--shell", defaultValue = "bash", paramLabel = "SHELL", converter = EnumWords.Shells.class,
            completionCandidates = EnumWords.Shells.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Shell shell;

    @CommandLine.Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(CompletionScripts.script(shell, spec.commandLine().getParent()));
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
