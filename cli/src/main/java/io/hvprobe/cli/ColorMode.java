package io.hvprobe.cli;

import picocli.CommandLine;

/** {@code --color}: when hvprobe's output (and picocli's help and usage messages) gets colour. */
enum ColorMode {
    /** Colour on a terminal, unless a non-empty {@code NO_COLOR} asks for none. */
    AUTO,
    /** Always colour. */
    ALWAYS,
    /** Never colour. */
    NEVER;

    /** Whether output to a terminal ({@code terminal}) or elsewhere gets colour. */
    boolean on(boolean terminal) {
        return switch (this) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> terminal && !noColor();
        };
    }

    /** Picocli's colour setting for help and usage messages (its AUTO detects the terminal itself). */
    CommandLine.Help.Ansi ansi() {
        return switch (this) {
            case ALWAYS -> CommandLine.Help.Ansi.ON;
            case NEVER -> CommandLine.Help.Ansi.OFF;
            case AUTO -> noColor() ? CommandLine.Help.Ansi.OFF : CommandLine.Help.Ansi.AUTO;
        };
    }

    /** Whether {@code NO_COLOR} asks for no colour (set and not empty, per no-color.org). */
    static boolean noColor() {
        String v = System.getenv("NO_COLOR");
        return v != null && !v.isEmpty();
    }
}
