package io.hvprobe.cli;

import picocli.CommandLine;

/** Colour on a terminal, off when {@code NO_COLOR} is set or output is redirected (Picocli's AUTO). */
final class Colors {
    private Colors() {
    }

    static CommandLine.Help.ColorScheme scheme() {
        CommandLine.Help.Ansi ansi = System.getenv("NO_COLOR") != null ? CommandLine.Help.Ansi.OFF
                : CommandLine.Help.Ansi.AUTO;
        return CommandLine.Help.defaultColorScheme(ansi);
    }
}
