package io.hvprobe.loader;

import io.hvprobe.arch.Arch;
import java.util.ArrayList;
import java.util.List;

/**
 * A raw firmware blob to load as one segment.
 *
 * @param name        name for messages and the image
 * @param bytes       the code/data
 * @param arch        instruction set
 * @param baseAddress guest address of byte 0 (page aligned)
 * @param permissions {@link Permissions#ALL} or {@link Permissions#READ_EXECUTE}
 * @param symbols     caller-supplied symbols, as offsets into the blob
 */
public record RawBlob(String name, byte[] bytes, Arch arch, long baseAddress, Permissions permissions,
                      List<RawSymbol> symbols) {
    /**
     * Copies the bytes and the symbols.
     *
     * @param name        name for messages and the image
     * @param bytes       the code/data (copied)
     * @param arch        instruction set
     * @param baseAddress guest address of byte 0 (page aligned)
     * @param permissions the segment's permissions
     * @param symbols     caller-supplied symbols (copied)
     */
    public RawBlob {
        bytes = bytes.clone();
        symbols = List.copyOf(symbols);
    }

    /** {@return the code/data: a new copy on each call} */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * A symbol at an offset into the blob.
     *
     * @param name   symbol name
     * @param offset offset from the blob start
     */
    public record RawSymbol(String name, long offset) {

        /**
         * Parses {@code name=offset} pairs; offsets are decimal or {@code 0x} hex.
         *
         * @param pairs {@code name=offset} strings
         * @return the symbols, in the order given
         * @throws IllegalArgumentException naming the bad pair
         */
        public static List<RawSymbol> parse(List<String> pairs) {
            List<RawSymbol> out = new ArrayList<>();
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("symbol '" + pair + "' is not name=offset");
                }
                String value = pair.substring(eq + 1).trim();
                try {
                    long offset = value.startsWith("0x") || value.startsWith("0X")
                            ? Long.parseUnsignedLong(value.substring(2), 16) : Long.parseLong(value);
                    out.add(new RawSymbol(pair.substring(0, eq).trim(), offset));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("symbol '" + pair + "': offset '" + value
                            + "' is not a number");
                }
            }
            return out;
        }
    }
}
