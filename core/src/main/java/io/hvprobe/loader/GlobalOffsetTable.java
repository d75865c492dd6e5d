package io.hvprobe.loader;

import java.util.List;
import java.util.Optional;

/**
 * The GOT: for relocatable objects the table the loader synthesised for GOT-relative relocations; for linked
 * files the slots filled by {@code GLOB_DAT}/{@code JUMP_SLOT} relocations.
 *
 * @param address first slot address (0 when empty)
 * @param entries slots in address order
 * @param ifuncs  slots an ifunc resolver fills before the first call, in relocation order
 */
public record GlobalOffsetTable(long address, List<GotEntry> entries, List<IfuncSlot> ifuncs) {
    /**
     * Copies {@code entries} and {@code ifuncs}.
     *
     * @param address first slot address (0 when empty)
     * @param entries slots in address order (copied)
     * @param ifuncs  slots an ifunc resolver fills before the first call, in relocation order (copied)
     */
    public GlobalOffsetTable {
        entries = List.copyOf(entries);
        ifuncs = List.copyOf(ifuncs);
    }

    /**
     * A table without ifunc slots.
     *
     * @param address first slot address (0 when empty)
     * @param entries slots in address order (copied)
     */
    public GlobalOffsetTable(long address, List<GotEntry> entries) {
        this(address, entries, List.of());
    }

    /**
     * An empty table.
     *
     * @return a table with no slots at address 0
     */
    public static GlobalOffsetTable empty() {
        return new GlobalOffsetTable(0, List.of());
    }

    /**
     * The first slot for {@code symbol}.
     *
     * @param symbol a symbol name
     * @return the slot with the lowest address for {@code symbol}, or empty when it has none
     */
    public Optional<GotEntry> entry(String symbol) {
        return entries.stream().filter(e -> e.symbol().equals(symbol)).findFirst();
    }
}
