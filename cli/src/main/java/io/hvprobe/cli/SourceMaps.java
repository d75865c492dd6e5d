package io.hvprobe.cli;

import io.hvprobe.loader.GuestImage;
import io.hvprobe.run.SourceLocation;
import io.hvprobe.run.SourceMap;

import java.nio.file.Path;

/** The source map of a loaded object for {@code disasm --source}: its DWARF line and inline information. */
final class SourceMaps {
    private SourceMaps() {
    }

    /** The source map of {@code image} loaded from {@code file}. */
    static SourceMap of(Path file, GuestImage image) {
        return address -> image.source(address).flatMap(SourceLocation::from);
    }
}
