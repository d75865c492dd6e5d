package io.hvprobe.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class CommonOptions {
    @Option(names = "--verbose", description = "Print stack traces with errors (check: and each finding's evidence).")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress or status lines on stderr (errors still appear).")
    boolean quiet;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", converter = EnumWords.ColorModes.class,
            completionCandidates = EnumWords.ColorModes.class,
            description = "Colour output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; a non-empty NO_COLOR"
                    + " in the environment makes auto mean never).")
    ColorMode color;
}
