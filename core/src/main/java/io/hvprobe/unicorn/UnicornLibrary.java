package io.hvprobe.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.List;

/**
 * Finds the Unicorn shared library. The library is loaded once for the JVM's life (global arena) because
 * downcall handles into it are held in static fields.
 */
@SuppressWarnings("restricted") // this package is the FFM binding: native access is its purpose
final class UnicornLibrary {
    /** Sonames tried in order: Debian's versioned library first, then the development symlink. */
    static final List<String> SONAMES = List.of("libunicorn.so.2", "libunicorn.so");

    static final String NOT_FOUND = "libunicorn.so.2 not found: apt-get install libunicorn2";

    private UnicornLibrary() {
    }

    /** The first of {@code sonames} the dynamic linker can open. */
    static SymbolLookup find(List<String> sonames) {
        for (String soname : sonames) {
            try {
                return SymbolLookup.libraryLookup(soname, Arena.global());
            } catch (IllegalArgumentException notFound) {
                // try the next name
            }
        }
        throw new UnicornUnavailableException(NOT_FOUND);
    }
}
