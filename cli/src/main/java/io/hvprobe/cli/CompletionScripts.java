package io.hvprobe.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shell completion scripts made from the annotated commands: bash and zsh (picocli's script, which zsh loads
 * through bashcompinit) and fish. All three complete commands, options and option words, and complete
 * {@code -f/--function} with the function names of the object already on the line ({@code hvprobe __functions}).
 */
public final class CompletionScripts {
    private static final String FUNCTION_NAMES_BASH = """

            # -f/--function: the function names of the first existing file after the command word.
            _hvprobe_functions() {
              local i
              for ((i = 2; i < COMP_CWORD; i++)); do
                case "${COMP_WORDS[i]}" in
                  -*) ;;
                  *) if [[ -f "${COMP_WORDS[i]}" ]]; then "${COMP_WORDS[0]}" __functions "${COMP_WORDS[i]}" 2>/dev/null; return; fi ;;
                esac
              done
            }
            _complete_hvprobe_and_functions() {
              local prev="${COMP_WORDS[COMP_CWORD-1]}" cur="${COMP_WORDS[COMP_CWORD]}"
              if [[ "$prev" == "-f" || "$prev" == "--function" ]]; then
                COMPREPLY=( $(compgen -W "$(_hvprobe_functions)" -- "$cur") )
                return 0
              fi
              _complete_hvprobe "$@"
            }
            complete -F _complete_hvprobe_and_functions -o default hvprobe hvprobe.sh hvprobe.bash
            """;

    private CompletionScripts() {
    }

    /** The script for {@code shell}. */
    static String script(Shell shell, CommandLine cl) {
        return switch (shell) {
            case BASH, ZSH -> AutoComplete.bash("hvprobe", cl) + FUNCTION_NAMES_BASH;
            case FISH -> fish(cl);
        };
    }

    /** The fish script: a {@code complete} line per command, option and option word list. */
    static String fish(CommandLine cl) {
        StringBuilder b = new StringBuilder();
        b.append("# fish completion for hvprobe (generated from its commands); copy to"
                + " ~/.config/fish/completions/hvprobe.fish\n");
        b.append("function __hvprobe_functions\n")
                .append("    set -l words (commandline -opc)\n")
                .append("    for w in $words[3..-1]\n")
                .append("        if test -f \"$w\"\n")
                .append("            $words[1] __functions \"$w\" 2>/dev/null\n")
                .append("            return\n")
                .append("        end\n")
                .append("    end\n")
                .append("end\n");
        b.append("complete -c hvprobe -f\n");
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden()) {
                continue;
            }
            b.append("complete -c hvprobe -n __fish_use_subcommand -a ").append(e.getKey()).append(" -d ")
                    .append(quote(first(sub.usageMessage().description()))).append('\n');
            String when = " -n '__fish_seen_subcommand_from " + e.getKey() + "'";
            if (!sub.positionalParameters().isEmpty()) {
                b.append("complete -c hvprobe").append(when).append(" -F\n");
            }
            for (OptionSpec o : sub.options()) {
                b.append("complete -c hvprobe").append(when);
                for (String name : o.names()) {
                    b.append(name.startsWith("--") ? " -l " + name.substring(2) : " -s " + name.substring(1));
                }
                if (o.arity().max() > 0 && !o.typeInfo().isBoolean()) {
                    b.append(" -r");
                    List<String> words = new ArrayList<>();
                    if (o.completionCandidates() != null) {
                        o.completionCandidates().forEach(words::add);
                    }
                    if (List.of(o.names()).contains("--function")) {
                        b.append(" -f -a '(__hvprobe_functions)'");
                    } else if (!words.isEmpty()) {
                        b.append(" -f -a ").append(quote(String.join(" ", words)));
                    } else {
                        b.append(" -F");
                    }
                }
                b.append(" -d ").append(quote(first(o.description()))).append('\n');
            }
        }
        return b.toString();
    }

    /** The first sentence of a rendered description (a ". " inside parentheses, as in "e.g. x", does not end it). */
    static String first(String[] lines) {
        String s = lines.length == 0 ? "" : lines[0].strip();
        int depth = 0;
        for (int i = 0; i + 1 < s.length(); i++) {
            switch (s.charAt(i)) {
                case '(' -> depth++;
                case ')' -> depth = Math.max(0, depth - 1);
                case '.' -> {
                    if (depth == 0 && s.charAt(i + 1) == ' ') {
                        return s.substring(0, i);
                    }
                }
                default -> { }
            }
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Writes {@code hvprobe_completion} (bash and zsh) and {@code hvprobe.fish} into {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        CommandLine cl = Main.commandLine();
        Files.writeString(dir.resolve("hvprobe_completion"), script(Shell.BASH, cl), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("hvprobe.fish"), script(Shell.FISH, cl), StandardCharsets.UTF_8);
    }
}
