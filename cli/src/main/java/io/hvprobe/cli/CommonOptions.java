package io.hvprobe.cli;

import picocli.CommandLine.Option;

/** Options every subcommand takes. */
final class CommonOptions {
    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour output: auto, always or never (NO_COLOR in the environment means never).")
    String color;

    boolean colour(boolean terminal) {
        return switch (color) {
            case "always" -> true;
            case "never" -> false;
            default -> terminal && System.getenv("NO_COLOR") == null;
        };
    }
}
