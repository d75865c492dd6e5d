package io.hvprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;

/** Options every subcommand takes. */
final class CommonOptions {
    /** The {@code --color} values. */
    static final List<String> COLOR_CHOICES = List.of("auto", "always", "never");

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--verbose", description = "Print stack traces with errors (check: and each finding's evidence).")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress or status lines on stderr (errors still appear).")
    boolean quiet;

    String color = "auto";

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", completionCandidates = ColorChoices.class,
            description = "Colour output: auto, always or never (default: ${DEFAULT-VALUE}; a non-empty NO_COLOR in"
                    + " the environment makes auto mean never).")
    void color(String value) {
        if (!COLOR_CHOICES.contains(value)) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "unknown --color '" + value + "' (one of "
                    + String.join(", ", COLOR_CHOICES) + ")");
        }
        color = value;
    }

    boolean colour(boolean terminal) {
        return switch (color) {
            case "always" -> true;
            case "never" -> false;
            default -> terminal && !Colors.noColor();
        };
    }

    /** Completion candidates of {@code --color}. */
    static final class ColorChoices implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return COLOR_CHOICES.iterator();
        }
    }
}
