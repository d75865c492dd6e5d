package io.hvprobe.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --lib}: shared objects loaded with the object, as a dynamic loader would (run, trace, check). */
final class LibraryOption {
    @Option(names = "--lib", paramLabel = "PATH",
            description = "A shared object to load with the object (repeat): DT_NEEDED names resolve against the"
                    + " given ones by SONAME, imports bind across the objects before the C-library table or stubs"
                    + " answer them, and constructors (DT_INIT, DT_INIT_ARRAY) run first, dependencies first.")
    List<Path> libraries = new ArrayList<>();

    /** The given libraries, each checked to exist. */
    List<Path> existing() {
        return libraries.stream().map(p -> GuestObjects.existing(p.toString())).toList();
    }
}
