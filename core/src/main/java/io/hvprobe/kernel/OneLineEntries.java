package io.hvprobe.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a table written one entry per line — {@code symbol: {key: value, ...}} with values that are plain
 * decimal integers or lower-case words, comment and blank lines between — into the tree the YAML parser would
 * make of it, without the YAML parser. The built-in tables are written so; a {@code check} of a small object would
 * otherwise spend a fifth of its start-up in Jackson's and SnakeYAML's still-interpreted code. Anything outside
 * that form (another YAML style, a word YAML 1.1 reads as a boolean or null, a number YAML reads in another base)
 * yields empty, and the caller parses the text as YAML.
 */
final class OneLineEntries {
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*):[ \\t]+\\{(.*)}[ \\t]*");
    private static final Pattern FIELD = Pattern.compile("[ \\t]*([A-Za-z_][A-Za-z0-9_]*):[ \\t]+([^ \\t]+)[ \\t]*");
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9-]*");
    /** Plain words YAML 1.1 does not read as strings. */
    private static final Set<String> NOT_STRINGS = Set.of("y", "yes", "n", "no", "true", "false", "on", "off",
            "null");

    private OneLineEntries() {
    }

    /**
     * The table in {@code text} as a tree of symbol → fields, or empty when a line is outside the one-line form.
     *
     * @param text the whole table
     * @return the tree YAML would make of it, or empty
     */
    static Optional<JsonNode> read(String text) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            Matcher entry = ENTRY.matcher(line);
            if (!entry.matches()) {
                return Optional.empty();
            }
            ObjectNode fields = nodes.objectNode();
            for (String field : entry.group(2).split(",", -1)) {
                Matcher f = FIELD.matcher(field);
                if (!f.matches()) {
                    return Optional.empty();
                }
                String value = f.group(2);
                if (INTEGER.matcher(value).matches()) {
                    long v = Long.parseLong(value);
                    fields.set(f.group(1), v == (int) v ? nodes.numberNode((int) v) : nodes.numberNode(v));
                } else if (WORD.matcher(value).matches() && !NOT_STRINGS.contains(value)) {
                    fields.set(f.group(1), nodes.textNode(value));
                } else {
                    return Optional.empty();
                }
            }
            root.set(entry.group(1), fields);
        }
        return Optional.of(root);
    }
}
