package io.hvprobe.loader;

/**
 * A defined symbol at its final guest address.
 *
 * @param name    symbol name
 * @param address final guest address
 * @param size    {@code st_size} (0 when unknown)
 * @param type    what it names
 * @param binding local, global or weak
 * @param section name of the section that holds it ("" for absolute symbols)
 */
public record GuestSymbol(String name, long address, long size, SymbolType type, SymbolBinding binding,
                          String section) {

    /**
     * Whether {@code a} lies inside {@code [address, address + size)}, or equals {@code address} when size is 0.
     *
     * @param a a guest address
     * @return whether the symbol covers {@code a}
     */
    public boolean covers(long a) {
        return size == 0 ? a == address : a >= address && a - address < size;
    }
}
