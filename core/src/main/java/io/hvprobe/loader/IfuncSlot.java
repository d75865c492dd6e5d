package io.hvprobe.loader;

/**
 * A slot an ifunc resolver fills: an {@code IRELATIVE} relocation, or a {@code GLOB_DAT}/{@code JUMP_SLOT} to a
 * {@code STT_GNU_IFUNC} symbol the object defines. The loader leaves the resolver's address in the slot; before
 * the first call the resolver runs in the guest and its answer replaces it (as the dynamic loader does while
 * relocating).
 *
 * @param slot     the slot's guest address (8 bytes)
 * @param resolver the resolver's guest address
 */
public record IfuncSlot(long slot, long resolver) {
}
