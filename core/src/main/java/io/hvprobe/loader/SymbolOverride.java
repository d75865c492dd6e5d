package io.hvprobe.loader;

/** How the caller wants one undefined symbol resolved instead of the default stub. */
public sealed interface SymbolOverride {

    /** Resolve to a fixed guest address (nothing is placed for it). */
    record Absolute(long address) implements SymbolOverride {
    }

    /** A function stub whose hook should return {@code returnValue}. */
    record FunctionStub(long returnValue) implements SymbolOverride {
    }

    /**
     * A data cell of {@code size} bytes starting with {@code initialBytes} (rest zero).
     */
    record DataCell(long size, byte[] initialBytes) implements SymbolOverride {
        public DataCell {
            if (size <= 0 || initialBytes.length > size) {
                throw new IllegalArgumentException("data cell size " + size + " must be positive and hold "
                        + initialBytes.length + " initial bytes");
            }
            initialBytes = initialBytes.clone();
        }

        /** A zeroed cell of {@code size} bytes. */
        public DataCell(long size) {
            this(size, new byte[0]);
        }

        @Override
        public byte[] initialBytes() {
            return initialBytes.clone();
        }
    }
}
