package io.hvprobe.loader;

import java.util.Map;

/**
 * The static TLS of several loaded objects, as one object sees it while it is relocated: the program-wide layout
 * (its offsets from the thread pointer do not depend on where the area ends up), the object's own module id (0
 * without a {@code PT_TLS} template) and the thread-local variables the objects define, by name.
 *
 * @param layout      the program-wide layout
 * @param module      this object's module id, or 0
 * @param definitions every object's exported thread-local variables (the first definition of a name wins)
 */
record ProgramTls(TlsLayout layout, long module, Map<String, Definition> definitions) {
    ProgramTls {
        definitions = Map.copyOf(definitions);
    }

    /**
     * Where a thread-local variable is.
     *
     * @param module the defining object's module id
     * @param offset the variable's offset inside that module's block
     */
    record Definition(long module, long offset) {
    }
}
