package io.hvprobe.cli;

import picocli.CommandLine;

/**
 * Colour of Picocli's help and usage messages: {@code --color always|never} on the command line decides, else a
 * non-empty {@code NO_COLOR} turns it off, else Picocli's AUTO (on when the output is a terminal).
 */
final class Colors {
    private Colors() {
    }

    /** Whether {@code NO_COLOR} asks for no colour (set and not empty, per no-color.org). */
    static boolean noColor() {
        String v = System.getenv("NO_COLOR");
        return v != null && !v.isEmpty();
    }

    static CommandLine.Help.ColorScheme scheme(String... args) {
        String asked = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                break;
            }
            if (args[i].startsWith("--color=")) {
                asked = args[i].substring("--color=".length());
            } else if (args[i].equals("--color") && i + 1 < args.length) {
                asked = args[i + 1];
            }
        }
        CommandLine.Help.Ansi ansi;
        if ("always".equals(asked)) {
            ansi = CommandLine.Help.Ansi.ON;
        } else if ("never".equals(asked) || (!"always".equals(asked) && noColor())) {
            ansi = CommandLine.Help.Ansi.OFF;
        } else {
            ansi = CommandLine.Help.Ansi.AUTO;
        }
        return CommandLine.Help.defaultColorScheme(ansi);
    }
}
