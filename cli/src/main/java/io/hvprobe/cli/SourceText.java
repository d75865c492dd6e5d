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
        return "  ; " + s.file() + ":" + s.line() + (s.function().isEmpty() ? "" : " (" + s.function() + ")")
                + (text.isEmpty() ? "" : ": " + text.strip());
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
