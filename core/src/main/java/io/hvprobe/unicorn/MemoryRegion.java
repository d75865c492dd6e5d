package io.hvprobe.unicorn;

/**
 * One mapped guest memory region ({@code uc_mem_region}).
 *
 * @param begin first address (inclusive)
 * @param end   last address (inclusive)
 * @param perms {@link UcProt} bits
 */
public record MemoryRegion(long begin, long end, int perms) {
    /** The region's length in bytes. */
    public long size() {
        return end - begin + 1;
    }
}
