package io.hvprobe.disasm;

import io.hvprobe.arch.GuestRegister;

import java.util.Set;

/**
 * The tracked registers an instruction reads and writes, explicitly or implicitly, and whether it touches
 * memory. Sub-registers count as their full register ({@code al} is {@code RAX}, {@code w7} is {@code X7});
 * registers hvprobe does not track (vector, segment, zero registers) are left out.
 *
 * @param reads        registers whose value the instruction uses
 * @param writes       registers the instruction changes
 * @param readsMemory  the instruction loads from memory (stack pops and string sources included)
 * @param writesMemory the instruction stores to memory (stack pushes and string destinations included)
 */
public record RegisterAccess(Set<GuestRegister> reads, Set<GuestRegister> writes,
                             boolean readsMemory, boolean writesMemory) {

    /** No registers, no memory. */
    public static final RegisterAccess NONE = new RegisterAccess(Set.of(), Set.of(), false, false);

    public RegisterAccess {
        reads = Set.copyOf(reads);
        writes = Set.copyOf(writes);
    }
}
