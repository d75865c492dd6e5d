package io.hvprobe.cli;

import picocli.CommandLine;

/**
 * Colour of Picocli's help and usage messages, decided before the command line is parsed: the last
 * {@code --color} word on it (before {@code --}), else {@code auto}; an invalid word counts as {@code auto} here and
 * is reported by the parser.
 */
final class Colors {
    private Colors() {
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
        ColorMode mode = asked == null ? ColorMode.AUTO
                : EnumWords.parse(ColorMode.class, asked).orElse(ColorMode.AUTO);
        return CommandLine.Help.defaultColorScheme(mode.ansi());
    }
}
