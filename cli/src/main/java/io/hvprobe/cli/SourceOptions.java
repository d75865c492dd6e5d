package io.hvprobe.cli;

import io.hvprobe.dwarf.DebugSource;
import io.hvprobe.loader.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --source} and {@code --debug-root}: source lines from the object's DWARF or a build-id debug file. */
final class SourceOptions {
    @Option(names = "--source", description = "Show source lines and inline chains from the object's debug"
            + " information (DWARF 4/5; see docs/source-lines.md).")
    boolean source;

    @Option(names = "--debug-root", paramLabel = "DIR", description = "Where separate debug files are found by"
            + " build-id (DIR/.build-id/xx/yyyy.debug); repeatable, searched in order (default: "
            + "/usr/lib/debug).")
    List<Path> debugRoots = new ArrayList<>();

    /** The debug roots to search: those given, else the default. */
    List<Path> roots() {
        return debugRoots.isEmpty() ? List.of(DebugSource.DEFAULT_ROOT) : List.copyOf(debugRoots);
    }

    /** {@code load} with these debug roots. */
    LoadOptions apply(LoadOptions load) {
        return load.withDebugRoots(roots());
    }
}
