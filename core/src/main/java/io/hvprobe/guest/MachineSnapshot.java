package io.hvprobe.guest;

import io.hvprobe.unicorn.CpuContext;

import java.util.List;

/**
 * The whole state of a {@link GuestMachine} at one moment, for {@link GuestMachine#restore}: the contents of every
 * writable guest page (image data, .bss, stub data, per-CPU area, scratch heap, stack, lenient pages mapped so far)
 * and the CPU context (all registers, system and vector ones included). Read-only and executable-only pages are not
 * copied: the guest cannot change them.
 *
 * <p>Made by {@link GuestMachine#snapshot()}; valid for that machine only. Its CPU context is native memory owned
 * by the machine's engine: {@link #close()} frees it early, closing the machine frees it anyway.
 *
 * @param regions      the writable regions and their bytes, in address order
 * @param cpu          the saved CPU context
 * @param lenientPages how many lenient pages were mapped when the snapshot was taken
 */
public record MachineSnapshot(List<Region> regions, CpuContext cpu, int lenientPages) implements AutoCloseable {

    /**
     * One writable region: its first address, its size (a multiple of the page size) and the contents of its pages
     * that were not all zero, by page index; a page that is absent was zero. A large zero-filled {@code .bss} (or a
     * hostile object's inflated one) therefore costs nothing to keep.
     *
     * @param address      the region's first guest address
     * @param size         its size in bytes, a multiple of the page size
     * @param nonZeroPages contents of the pages that were not all zero, by page index within the region (copied map;
     *                     the arrays are shared, not copied)
     */
    public record Region(long address, long size, java.util.Map<Integer, byte[]> nonZeroPages) {
        /**
         * Copies the page map.
         *
         * @param address      the region's first guest address
         * @param size         its size in bytes
         * @param nonZeroPages the non-zero pages by page index (copied map)
         */
        public Region {
            nonZeroPages = java.util.Map.copyOf(nonZeroPages);
        }
    }

    /**
     * Copies {@code regions}.
     *
     * @param regions      the writable regions, in address order (copied)
     * @param cpu          the saved CPU context, owned by the snapshot from now on
     * @param lenientPages how many lenient pages were mapped
     */
    public MachineSnapshot {
        regions = List.copyOf(regions);
    }

    /** {@return the bytes of guest memory the snapshot holds (the non-zero pages)} */
    public long bytes() {
        return regions.stream().flatMap(r -> r.nonZeroPages().values().stream()).mapToLong(b -> b.length).sum();
    }

    /** Frees the saved CPU context. */
    @Override
    public void close() {
        cpu.close();
    }
}
