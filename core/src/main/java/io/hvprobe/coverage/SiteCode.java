package io.hvprobe.coverage;

import io.hvprobe.run.SourceLocation;

import java.util.List;

/**
 * The code at a trap site, as a report shows it beside the site: the source line when the object's debug
 * information covers the site, else the disassembly around it.
 */
public sealed interface SiteCode {

    /** No code to show (the site is outside every mapped segment, or no disassembler could be loaded). */
    SiteCode NONE = new Unavailable("no code");

    /**
     * The site's source position from the debug information.
     *
     * @param at   file, line, function and inline chain of the trap instruction
     * @param text the lines around {@code at.line()} when the file is readable here (empty otherwise)
     */
    record Source(SourceLocation at, List<TextLine> text) implements SiteCode {
        /**
         * Copies {@code text}.
         *
         * @param at   file, line, function and inline chain of the trap instruction
         * @param text the lines around {@code at.line()} (copied)
         */
        public Source {
            text = List.copyOf(text);
        }
    }

    /**
     * The instructions around the site, decoded from the loaded (relocated) bytes.
     *
     * @param lines a few instructions before the trap, the trap, and a few after, in address order
     */
    record Disassembly(List<CodeLine> lines) implements SiteCode {
        /**
         * Copies {@code lines}.
         *
         * @param lines the instructions around the site, in address order (copied)
         */
        public Disassembly {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Why there is no code to show.
     *
     * @param why one line
     */
    record Unavailable(String why) implements SiteCode {
    }

    /**
     * One line of a source file.
     *
     * @param number line number, from 1
     * @param text   the line, without its line terminator
     */
    record TextLine(int number, String text) {
    }

    /**
     * One disassembled instruction.
     *
     * @param address its guest address
     * @param text    mnemonic and operands, e.g. {@code in eax, dx}
     * @param trap    whether it is the trap site's instruction
     */
    record CodeLine(long address, String text, boolean trap) {
    }
}
