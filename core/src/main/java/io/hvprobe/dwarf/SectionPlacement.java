package io.hvprobe.dwarf;

import java.util.OptionalLong;

/**
 * Where the loader put each allocatable section of a relocatable object; the relocations in its debug sections
 * resolve against these addresses, so the debug information speaks in guest addresses.
 */
@FunctionalInterface
public interface SectionPlacement {
    /**
     * The address of section {@code index}, empty if the section was not placed.
     *
     * @param index the section header index in the ELF file
     * @return the guest address the section was placed at, empty if the section was not placed
     */
    OptionalLong addressOf(int index);

    /**
     * Every section at address 0: relocations then give section offsets, as in the file.
     *
     * @return a placement that puts every section at 0
     */
    static SectionPlacement atZero() {
        return i -> OptionalLong.empty();
    }
}
