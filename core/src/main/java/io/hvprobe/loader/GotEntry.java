package io.hvprobe.loader;

/**
 * One 8-byte GOT slot.
 *
 * @param symbol  the symbol (with {@code +0x..} when a non-zero addend is folded in)
 * @param address slot address
 * @param value   the address stored in the slot
 */
public record GotEntry(String symbol, long address, long value) {
}
