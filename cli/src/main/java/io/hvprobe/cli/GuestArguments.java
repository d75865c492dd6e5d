package io.hvprobe.cli;

import io.hvprobe.guest.Argument;
import io.hvprobe.guest.ArgumentSyntax;
import io.hvprobe.guest.GuestCall;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --arg} values in core's {@link ArgumentSyntax} (integers, {@code buf:}, {@code ptr:}, {@code hex:},
 * {@code str:}), the same forms {@code Argument.parse} takes in Java; adds the count limit and the option's name.
 */
final class GuestArguments {
    private GuestArguments() {
    }

    /**
     * Parses all values (at most {@value GuestCall#MAX_ARGUMENTS}); throws {@link IllegalArgumentException} naming
     * the bad one.
     */
    static List<Argument> parse(List<String> values) {
        if (values.size() > GuestCall.MAX_ARGUMENTS) {
            throw new IllegalArgumentException("at most " + GuestCall.MAX_ARGUMENTS + " --arg values (got "
                    + values.size() + ")");
        }
        List<Argument> out = new ArrayList<>();
        for (String v : values) {
            out.add(parse(v));
        }
        return out;
    }

    /** One {@code --arg} value, through core's {@link ArgumentSyntax}: the message names the option. */
    static Argument parse(String v) {
        try {
            return ArgumentSyntax.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--arg " + e.getMessage(), e);
        }
    }

    /** An integer as {@code --arg} writes it (decimal or 0x-hex up to 64 bits). */
    static long integer(String s, String original) {
        try {
            return ArgumentSyntax.integer(s, original);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--arg " + e.getMessage(), e);
        }
    }
}
