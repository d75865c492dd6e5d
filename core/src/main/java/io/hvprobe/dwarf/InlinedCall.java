package io.hvprobe.dwarf;

/**
 * One step outward in an inline chain: the code was inlined into {@code function} at {@code file:line:column}
 * (the call site, {@code DW_AT_call_file}/{@code call_line}/{@code call_column}).
 *
 * @param function the function the call site is in ({@code ""} when unnamed)
 * @param file     the call site's source file as the debug information names it (absolute when it can be)
 * @param line     the call site's line, 0 when unknown
 * @param column   the call site's column, 0 when unknown
 */
public record InlinedCall(String function, String file, int line, int column) {
}
