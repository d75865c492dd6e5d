package io.hvprobe.dwarf;

import java.util.List;

/**
 * The source position of one instruction, as {@code addr2line -f -i} prints it: the innermost line first, then
 * each call site it was inlined into, innermost to outermost.
 *
 * <pre>{@code
 * // vmware.h:118:3 in vmware_hypercall3, inlined into vmmouse.c:201:9 in vmmouse_read
 * SourceLine s = image.source(pc).orElseThrow();
 * s.file(); s.line(); s.function();        // "/src/vmware.h", 118, "vmware_hypercall3"
 * s.inlinedFrom().getFirst().function();   // "vmmouse_read"
 * }</pre>
 *
 * @param file        the source file (absolute when the compilation directory is recorded)
 * @param line        line number, 0 when the compiler gave none (compiler-generated code)
 * @param column      column, 0 when not recorded
 * @param function    the innermost function ({@code ""} when no subprogram covers the address)
 * @param inlinedFrom call sites from the innermost inlined call outward; empty when not inlined
 */
public record SourceLine(String file, int line, int column, String function, List<InlinedCall> inlinedFrom) {
    /**
     * Copies {@code inlinedFrom}, so the record is immutable.
     *
     * @param file        the source file
     * @param line        line number, 0 when not recorded
     * @param column      column, 0 when not recorded
     * @param function    the innermost function, {@code ""} when unknown
     * @param inlinedFrom call sites from the innermost inlined call outward (copied; must not be null)
     */
    public SourceLine {
        inlinedFrom = List.copyOf(inlinedFrom);
    }

    /** {@return the outermost function: the one the symbol table names ({@link #function()} when not inlined)} */
    public String outerFunction() {
        return inlinedFrom.isEmpty() ? function : inlinedFrom.getLast().function();
    }

    /**
     * One line: {@code vmware.h:118:3 in vmware_hypercall3, inlined into vmmouse.c:201:9 in vmmouse_read}; file
     * names without directories.
     *
     * @return the description
     */
    public String describe() {
        StringBuilder b = new StringBuilder(position(file, line, column));
        if (!function.isEmpty()) {
            b.append(" in ").append(function);
        }
        for (InlinedCall c : inlinedFrom) {
            b.append(", inlined into ").append(position(c.file(), c.line(), c.column()));
            if (!c.function().isEmpty()) {
                b.append(" in ").append(c.function());
            }
        }
        return b.toString();
    }

    private static String position(String file, int line, int column) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        return base + ":" + line + (column > 0 ? ":" + column : "");
    }
}
