package io.hvprobe.loader;

/** How the caller wants one undefined symbol resolved instead of the default stub. */
public sealed interface SymbolOverride {

    /**
     * Resolve to a fixed guest address (nothing is placed for it).
     *
     * @param address the guest address the symbol resolves to
     */
    record Absolute(long address) implements SymbolOverride {
    }

    /**
     * A function stub whose hook should return {@code returnValue}.
     *
     * @param returnValue the value the stub returns in RAX or X0
     */
    record FunctionStub(long returnValue) implements SymbolOverride {
    }

    /**
     * A data cell of {@code size} bytes starting with {@code initialBytes} (rest zero).
     *
     * @param size         the cell's size in bytes, positive
     * @param initialBytes the first bytes of the cell, at most {@code size} (copied)
     */
    record DataCell(long size, byte[] initialBytes) implements SymbolOverride {
        /**
         * Checks the size and copies {@code initialBytes}.
         *
         * @param size         the cell's size in bytes, positive
         * @param initialBytes at most {@code size} bytes (copied)
         * @throws IllegalArgumentException when {@code size} is not positive or too small for {@code initialBytes}
         */
        public DataCell {
            if (size <= 0 || initialBytes.length > size) {
                throw new IllegalArgumentException("data cell size " + size + " must be positive and hold "
                        + initialBytes.length + " initial bytes");
            }
            initialBytes = initialBytes.clone();
        }

        /**
         * A zeroed cell of {@code size} bytes.
         *
         * @param size the cell's size in bytes, positive
         * @throws IllegalArgumentException when {@code size} is not positive
         */
        public DataCell(long size) {
            this(size, new byte[0]);
        }

        /** {@return the first bytes of the cell: a new copy on each call} */
        @Override
        public byte[] initialBytes() {
            return initialBytes.clone();
        }
    }
}
