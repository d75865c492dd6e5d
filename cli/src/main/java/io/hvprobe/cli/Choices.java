package io.hvprobe.cli;

import java.util.Iterator;
import java.util.List;

/**
 * Completion candidates of the options that take one of a few words (used by the completion script and help).
 * Picocli instantiates each by its class, hence one small class per option over a shared word list.
 */
final class Choices {
    private Choices() {
    }

    /** A fixed list of words. */
    abstract static class Words implements Iterable<String> {
        private final List<String> words;

        Words(String... words) {
            this.words = List.of(words);
        }

        @Override
        public Iterator<String> iterator() {
            return words.iterator();
        }
    }

    /** {@code --format} of run, scan, compare and commands. */
    static final class TextJson extends Words {
        TextJson() {
            super("text", "json");
        }
    }

    /** {@code --format} of trace. */
    static final class TraceFormats extends Words {
        TraceFormats() {
            super("text", "jsonl");
        }
    }

    /** {@code --format} of check. */
    static final class ReportFormats extends Words {
        ReportFormats() {
            super("text", "json", "sarif", "junit");
        }
    }

    /** {@code --fail-on}. */
    static final class FailOnLevels extends Words {
        FailOnLevels() {
            super("error", "warning", "never");
        }
    }

    /** {@code --min-severity}. */
    static final class Severities extends Words {
        Severities() {
            super("note", "warning", "error");
        }
    }

    /** {@code --regs}. */
    static final class RegisterModes extends Words {
        RegisterModes() {
            super("changed", "all");
        }
    }

    /** {@code --variant}. */
    static final class VariantNames extends Words {
        VariantNames() {
            super(new java.util.TreeSet<>(Variants.FORMS.keySet()).toArray(String[]::new));
        }
    }
}
