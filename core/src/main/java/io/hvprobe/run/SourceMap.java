package io.hvprobe.run;

import java.util.Optional;

/**
 * Maps guest code addresses to source locations (from an object's debug information). The DWARF reader provides
 * one per loaded image; objects without line information get {@link #NONE}.
 */
@FunctionalInterface
public interface SourceMap {
    /** No source information: every address is unknown. */
    SourceMap NONE = address -> Optional.empty();

    /**
     * The source location of the instruction at {@code address}, if known.
     *
     * @param address a guest address
     * @return the location, or empty when the debug information does not cover {@code address}
     */
    Optional<SourceLocation> locate(long address);
}
