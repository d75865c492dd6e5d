package io.hvprobe.cli;

import io.hvprobe.spi.Severity;

/** ANSI colour for terminal output, or plain text when colour is off. */
final class Paint {
    private final boolean on;

    Paint(boolean on) {
        this.on = on;
    }

    /** Colour per {@code --color}, {@code NO_COLOR} and whether stdout is a terminal. */
    static Paint forStdout(CommonOptions common) {
        java.io.Console c = System.console();
        return new Paint(common.color.on(c != null && c.isTerminal()));
    }

    /** Whether this paints at all. */
    boolean on() {
        return on;
    }

    String bold(String s) {
        return wrap("1", s);
    }

    String dim(String s) {
        return wrap("2", s);
    }

    String green(String s) {
        return wrap("32", s);
    }

    String severity(Severity s, String text) {
        return switch (s) {
            case ERROR -> wrap("1;31", text);
            case WARNING -> wrap("1;33", text);
            case NOTE -> wrap("36", text);
        };
    }

    private String wrap(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
