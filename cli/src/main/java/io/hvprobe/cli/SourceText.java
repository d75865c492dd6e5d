package io.hvprobe.cli;

import io.hvprobe.run.SourceLocation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The source line a listing interleaves: {@code file:line: text} when the file is readable here. */
final class SourceText {
    private SourceText() {
    }

    /** {@code "  ; file:line (function): text"}, without the text when the file cannot be read. */
    static String heading(SourceLocation s) {
        String text = line(Path.of(s.file()), s.line());
        StringBuilder b = new StringBuilder("  ; ").append(s.position());
        if (!s.function().isEmpty()) {
            b.append(" (").append(s.function()).append(')');
        }
        // The inline chain, innermost call first, as addr2line -i prints it.
        for (SourceLocation.InlineFrame f : s.inlinedFrom()) {
            b.append(", inlined into ").append(f.position());
            if (!f.function().isEmpty()) {
                b.append(" (").append(f.function()).append(')');
            }
        }
        return b.append(text.isEmpty() ? "" : ": " + text.strip()).toString();
    }

    private static String line(Path file, int line) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> one = lines.skip(line - 1L).limit(1).toList();
            return one.isEmpty() ? "" : one.getFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return ""; // unreadable or not UTF-8: the position alone still helps
        }
    }
}
