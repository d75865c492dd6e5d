package io.hvprobe.run;

import io.hvprobe.dwarf.SourceLine;

import java.util.List;

/**
 * Where in the source an instruction came from (from debug information), with the chain of inlined calls that
 * put it into the function that ran.
 *
 * @param file        the source file as the debug information names it (joined with the compilation directory
 *                    when that is known, so usually absolute)
 * @param line        line number, from 1
 * @param column      column number from 1, or 0 when unknown
 * @param function    the (possibly inlined) function whose code this is, {@code ""} if unknown
 * @param inlinedFrom the call sites that inlined {@code function}, innermost first: the first frame is the
 *                    call of {@code function}, the last one is in the function that was run; empty when not
 *                    inlined
 */
public record SourceLocation(String file, int line, int column, String function, List<InlineFrame> inlinedFrom) {

    /**
     * Checks the position and copies {@code inlinedFrom}.
     *
     * @param file        the source file, not empty
     * @param line        line number, from 1
     * @param column      column from 1, or 0 when unknown
     * @param function    the function, {@code ""} if unknown
     * @param inlinedFrom the inlining call sites, innermost first (copied)
     * @throws IllegalArgumentException when {@code file} is empty, {@code line} &lt; 1 or {@code column} &lt; 0
     */
    public SourceLocation {
        if (file == null || file.isEmpty()) {
            throw new IllegalArgumentException("a source location needs a file");
        }
        if (line < 1 || column < 0) {
            throw new IllegalArgumentException("line must be >= 1 and column >= 0: " + line + ":" + column);
        }
        inlinedFrom = List.copyOf(inlinedFrom);
    }

    /**
     * The location the debug information gives for an instruction: the one conversion from the DWARF reader's
     * {@link SourceLine} (empty when the compiler recorded no line, e.g. for generated code).
     *
     * @param s a line read from the debug information
     * @return the location (inline frames without a file or line dropped), or empty when {@code s} has no file or line
     */
    public static java.util.Optional<SourceLocation> from(SourceLine s) {
        if (s.file().isEmpty() || s.line() < 1) {
            return java.util.Optional.empty();
        }
        List<InlineFrame> frames = s.inlinedFrom().stream().filter(c -> !c.file().isEmpty() && c.line() >= 1)
                .map(c -> new InlineFrame(c.file(), c.line(), Math.max(0, c.column()), c.function())).toList();
        return java.util.Optional.of(new SourceLocation(s.file(), s.line(), Math.max(0, s.column()), s.function(),
                frames));
    }

    /**
     * A location outside any inlined call.
     *
     * @param file     the source file, not empty
     * @param line     line number, from 1
     * @param column   column from 1, or 0 when unknown
     * @param function the function, {@code ""} if unknown
     * @return the location, with no inlined frames
     * @throws IllegalArgumentException when {@code file} is empty, {@code line} &lt; 1 or {@code column} &lt; 0
     */
    public static SourceLocation of(String file, int line, int column, String function) {
        return new SourceLocation(file, line, column, function, List.of());
    }

    /**
     * {@code file:line:column}, or {@code file:line} when the column is unknown.
     *
     * @return the position
     */
    public String position() {
        return column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
    }

    /**
     * One call site of an inlined function.
     *
     * @param file     the file of the call
     * @param line     its line, from 1
     * @param column   its column from 1, or 0 when unknown
     * @param function the function that contains the call (the one the callee was inlined into)
     */
    public record InlineFrame(String file, int line, int column, String function) {
        /**
         * Checks the position.
         *
         * @param file     the file of the call, not empty
         * @param line     its line, from 1
         * @param column   its column from 1, or 0 when unknown
         * @param function the function that contains the call
         * @throws IllegalArgumentException when {@code file} is empty, {@code line} &lt; 1 or {@code column} &lt; 0
         */
        public InlineFrame {
            if (file == null || file.isEmpty() || line < 1 || column < 0) {
                throw new IllegalArgumentException("bad inline call site " + file + ":" + line + ":" + column);
            }
        }

        /**
         * {@code file:line:column}, or {@code file:line} when the column is unknown.
         *
         * @return the position
         */
        public String position() {
            return column > 0 ? file + ":" + line + ":" + column : file + ":" + line;
        }
    }
}
