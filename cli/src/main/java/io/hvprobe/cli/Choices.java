package io.hvprobe.cli;

import java.util.Iterator;
import java.util.List;

/** Completion candidates of the options that take one of a few words (used by the completion script and help). */
final class Choices {
    private Choices() {
    }

    /** {@code --format} of run, scan, compare and commands. */
    static final class TextJson implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("text", "json").iterator();
        }
    }

    /** {@code --format} of trace. */
    static final class TraceFormats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("text", "jsonl").iterator();
        }
    }

    /** {@code --format} of check. */
    static final class ReportFormats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("text", "json", "sarif", "junit").iterator();
        }
    }

    /** {@code --fail-on}. */
    static final class FailOnLevels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("error", "warning", "never").iterator();
        }
    }

    /** {@code --regs}. */
    static final class RegisterModes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("changed", "all").iterator();
        }
    }

    /** {@code --variant}. */
    static final class VariantNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return new java.util.TreeSet<>(Variants.FORMS.keySet()).iterator();
        }
    }
}
