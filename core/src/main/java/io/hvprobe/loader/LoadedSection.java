package io.hvprobe.loader;

/**
 * A section at its final guest address. Synthesised areas appear too: {@code .hvprobe.stubs},
 * {@code .hvprobe.cells}, {@code .hvprobe.got}, {@code .hvprobe.common}.
 *
 * @param name       section name
 * @param address    final guest address
 * @param size       size in bytes (memory size, also for {@code SHT_NOBITS})
 * @param flags      ELF {@code sh_flags}
 * @param executable whether the section holds code
 */
public record LoadedSection(String name, long address, long size, long flags, boolean executable) {

    /**
     * Whether {@code address} lies inside this section.
     *
     * @param a a guest address
     * @return whether {@code a} lies inside the section's address range
     */
    public boolean contains(long a) {
        return a >= address && a - address < size;
    }
}
