package io.hvprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Says what is wrong with a command line in the user's words: a misspelled option is named as unknown (picocli
 * would first complain about the required option it hides), an unknown command or option comes with the nearest
 * known one.
 */
final class UsageErrors {
    private UsageErrors() {
    }

    /** The one-line message for {@code ex}, raised while parsing {@code args}. */
    static String explain(CommandLine.ParameterException ex, String[] args) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        Optional<String> unknown = unknownOption(spec, args);
        if (unknown.isPresent()) {
            String name = unknown.get();
            return "unknown option '" + name + "'" + DidYouMean.hint(name, optionNames(spec));
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && spec.parent() == null && !spec.subcommands().isEmpty()) {
            String word = u.getUnmatched().getFirst();
            return "unknown command '" + word + "'" + DidYouMean.hint(word, spec.subcommands().keySet());
        }
        return ex.getMessage();
    }

    /** The first word in {@code args} that looks like an option of {@code spec} but is not one. */
    private static Optional<String> unknownOption(CommandSpec spec, String[] args) {
        boolean inCommand = spec.parent() == null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!inCommand) {
                inCommand = a.equals(spec.name()) || spec.aliases().length > 0 && List.of(spec.aliases()).contains(a);
                continue;
            }
            if (a.equals("--")) {
                return Optional.empty();
            }
            if (!a.startsWith("-") || a.length() < 2 || Character.isDigit(a.charAt(1))) {
                continue;
            }
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            OptionSpec o = spec.findOption(name);
            if (o == null && !name.startsWith("--") && name.length() > 2) {
                o = spec.findOption(name.substring(0, 2)); // -fNAME: a short option with its value attached
                if (o != null) {
                    continue;
                }
            }
            if (o == null) {
                return Optional.of(name);
            }
            if (!a.contains("=") && o.arity().max() > 0 && !o.typeInfo().isBoolean()) {
                i++; // its value, which may start with '-'
            }
        }
        return Optional.empty();
    }

    private static List<String> optionNames(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        spec.options().forEach(o -> names.addAll(List.of(o.names())));
        return names;
    }
}
