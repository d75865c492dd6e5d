package io.hvprobe.cli;

import io.hvprobe.loader.GuestImage;
import io.hvprobe.run.SourceMap;

import java.nio.file.Path;

/**
 * The source map of a loaded object for {@code disasm --source}. The DWARF line reader is written separately
 * (issue 15); until it is merged no object has one, and {@code disasm --source} says so on stderr.
 */
final class SourceMaps {
    private SourceMaps() {
    }

    /** The source map of {@code image} loaded from {@code file}. */
    static SourceMap of(Path file, GuestImage image) {
        return SourceMap.NONE;
    }
}
