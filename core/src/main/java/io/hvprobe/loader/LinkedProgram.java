package io.hvprobe.loader;

import java.util.List;

/**
 * An object loaded with the shared objects it needs ({@link ImageLoader#loadWith}).
 *
 * @param image        every object's segments, symbols and stubs; named and entered as the main object
 * @param constructors the functions to run before the first call, in the order a dynamic loader runs them
 *                     (dependencies first; per object {@code DT_INIT}, then {@code DT_INIT_ARRAY})
 * @param destructors  the functions {@code exit} runs after the {@code atexit} handlers, in the order glibc runs
 *                     them (reverse load order; per object {@code DT_FINI_ARRAY} last slot first, then
 *                     {@code DT_FINI})
 * @param notes        one line per thing that is not as a dynamic loader would have it (a needed library no
 *                     {@code --lib} gave, an unreadable constructor array)
 */
public record LinkedProgram(GuestImage image, List<Long> constructors, List<Long> destructors,
                            List<String> notes) {
    /**
     * Copies the lists.
     *
     * @param image        every object's segments, symbols and stubs
     * @param constructors constructor addresses, in the order they run (copied)
     * @param destructors  destructor addresses, in the order {@code exit} runs them (copied)
     * @param notes        one line each (copied)
     */
    public LinkedProgram {
        constructors = List.copyOf(constructors);
        destructors = List.copyOf(destructors);
        notes = List.copyOf(notes);
    }
}
