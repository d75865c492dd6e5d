package io.hvprobe.loader;

import io.hvprobe.dwarf.DebugSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How to load. Start from {@link #defaults()} and change with the {@code with...} methods.
 *
 * @param baseAddress     where relocatable objects are laid out and where {@code ET_DYN} files are moved;
 *                        ignored for {@code ET_EXEC} (default {@value #DEFAULT_BASE})
 * @param maxImageSize    cap on the total mapped size in bytes (default 256 MiB, at most 1 GiB); a larger image is
 *                        an error
 * @param dataCellSize    size of the zeroed cell placed for each undefined data symbol (default 4 KiB)
 * @param stubReturnValue the return value recorded in every function stub without an override (default 0)
 * @param overrides       per-symbol resolution, by name
 * @param debugRoots      where separate debug files are looked up by build-id ({@code <root>/.build-id/xx/yyyy.debug})
 *                        when the object has no DWARF of its own (default {@code /usr/lib/debug})
 */
public record LoadOptions(long baseAddress, long maxImageSize, long dataCellSize, long stubReturnValue,
                          Map<String, SymbolOverride> overrides, List<Path> debugRoots) {
    /** Default base: below 2 GiB so that both R_X86_64_32 and R_X86_64_32S reach every symbol. */
    public static final long DEFAULT_BASE = 0x1000_0000L;
    /** Default cap on the total image size. */
    public static final long DEFAULT_MAX_IMAGE_SIZE = 256L << 20;
    /** Largest image cap: each segment is one Java array, so it must stay well below 2 GiB. */
    public static final long MAX_IMAGE_SIZE_LIMIT = 1L << 30;
    /** Default data cell size: one page, enough for typical kernel objects referenced by modules. */
    public static final long DEFAULT_DATA_CELL_SIZE = 4096;

    /**
     * Checks the sizes and copies the collections.
     *
     * @param baseAddress     where relocatable and {@code ET_DYN} files are laid out, page aligned
     * @param maxImageSize    cap on the total mapped size, 1 byte to {@link #MAX_IMAGE_SIZE_LIMIT}
     * @param dataCellSize    size of each undefined data symbol's cell, positive and within the cap
     * @param stubReturnValue the return value of every function stub without an override
     * @param overrides       per-symbol resolution, by name (copied)
     * @param debugRoots      debug roots searched by build-id, in order (copied)
     * @throws IllegalArgumentException for a base that is negative or not page aligned, or a size out of range
     */
    public LoadOptions {
        overrides = Map.copyOf(overrides);
        debugRoots = List.copyOf(debugRoots);
        if ((baseAddress & 0xfff) != 0 || baseAddress < 0) {
            throw new IllegalArgumentException("base address 0x" + Long.toHexString(baseAddress)
                    + " must be non-negative and page aligned");
        }
        if (maxImageSize <= 0 || maxImageSize > MAX_IMAGE_SIZE_LIMIT) {
            throw new IllegalArgumentException("image cap must be 1 to " + MAX_IMAGE_SIZE_LIMIT + " bytes, got "
                    + maxImageSize);
        }
        if (dataCellSize <= 0 || dataCellSize > maxImageSize) {
            throw new IllegalArgumentException("data cell size must be positive and within the image cap, got "
                    + dataCellSize);
        }
    }

    /**
     * Options with the default debug root.
     *
     * @param baseAddress     where relocatable and {@code ET_DYN} files are laid out, page aligned
     * @param maxImageSize    cap on the total mapped size, 1 byte to {@link #MAX_IMAGE_SIZE_LIMIT}
     * @param dataCellSize    size of each undefined data symbol's cell, positive and within the cap
     * @param stubReturnValue the return value of every function stub without an override
     * @param overrides       per-symbol resolution, by name (copied)
     * @throws IllegalArgumentException for a value out of range
     */
    public LoadOptions(long baseAddress, long maxImageSize, long dataCellSize, long stubReturnValue,
                       Map<String, SymbolOverride> overrides) {
        this(baseAddress, maxImageSize, dataCellSize, stubReturnValue, overrides, List.of(DebugSource.DEFAULT_ROOT));
    }

    /**
     * Base 0x10000000, 256 MiB cap, 4 KiB data cells, stubs return 0, no overrides, debug root /usr/lib/debug.
     *
     * @return the defaults
     */
    public static LoadOptions defaults() {
        return new LoadOptions(DEFAULT_BASE, DEFAULT_MAX_IMAGE_SIZE, DEFAULT_DATA_CELL_SIZE, 0, Map.of());
    }

    /**
     * With another base address.
     *
     * @param base a non-negative, page-aligned guest address
     * @return a copy with that base
     * @throws IllegalArgumentException for a base that is negative or not page aligned
     */
    public LoadOptions withBaseAddress(long base) {
        return new LoadOptions(base, maxImageSize, dataCellSize, stubReturnValue, overrides, debugRoots);
    }

    /**
     * With another image cap.
     *
     * @param bytes 1 to {@link #MAX_IMAGE_SIZE_LIMIT}, at least the data cell size
     * @return a copy with that cap
     * @throws IllegalArgumentException for a cap out of range
     */
    public LoadOptions withMaxImageSize(long bytes) {
        return new LoadOptions(baseAddress, bytes, dataCellSize, stubReturnValue, overrides, debugRoots);
    }

    /**
     * With another data cell size.
     *
     * @param bytes positive, at most the image cap
     * @return a copy with that cell size
     * @throws IllegalArgumentException for a size out of range
     */
    public LoadOptions withDataCellSize(long bytes) {
        return new LoadOptions(baseAddress, maxImageSize, bytes, stubReturnValue, overrides, debugRoots);
    }

    /**
     * With another return value for function stubs without an override.
     *
     * @param value the value stubs return in RAX or X0
     * @return a copy with that value
     */
    public LoadOptions withStubReturnValue(long value) {
        return new LoadOptions(baseAddress, maxImageSize, dataCellSize, value, overrides, debugRoots);
    }

    /**
     * Adds or replaces the override for {@code symbol}.
     *
     * @param symbol   an undefined symbol's name
     * @param override how to resolve it
     * @return a copy with the override
     */
    public LoadOptions withOverride(String symbol, SymbolOverride override) {
        Map<String, SymbolOverride> m = new HashMap<>(overrides);
        m.put(symbol, override);
        return new LoadOptions(baseAddress, maxImageSize, dataCellSize, stubReturnValue, m, debugRoots);
    }

    /**
     * Replaces the debug roots searched by build-id (in order).
     *
     * @param roots directories, searched in order (copied); empty for none
     * @return a copy with those roots
     */
    public LoadOptions withDebugRoots(List<Path> roots) {
        return new LoadOptions(baseAddress, maxImageSize, dataCellSize, stubReturnValue, overrides, roots);
    }
}
