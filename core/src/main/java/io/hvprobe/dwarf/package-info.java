/**
 * Source lines of guest addresses from DWARF 4 and 5 debug information (line tables, inlined subroutines,
 * separate debug files found by build-id).
 *
 * <p><b>Stability:</b> {@link io.hvprobe.dwarf.SourceLine} and {@link io.hvprobe.dwarf.InlinedCall} are public
 * API (what {@code Probe} and findings' source locations expose), stable within a minor version;
 * the reader types may change in any release.
 */
package io.hvprobe.dwarf;
