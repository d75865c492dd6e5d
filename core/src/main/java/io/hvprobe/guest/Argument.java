package io.hvprobe.guest;

/** One argument of a {@link GuestCall}. */
public sealed interface Argument {

    /** An integer passed in a register. */
    record Value(long value) implements Argument {
    }

    /**
     * A pointer to a fresh guest buffer of {@code size} bytes, filled with {@code initial} (zero-padded);
     * its contents after the call come back in the result (out-parameters).
     *
     * @param alignment the buffer's guest address alignment: a power of two from 16 to 4096 (default 16)
     */
    record Buffer(int size, byte[] initial, int alignment) implements Argument {
        /** Default alignment of a buffer in the guest heap. */
        public static final int DEFAULT_ALIGNMENT = 16;

        public Buffer {
            if (size < 0 || initial.length > size) {
                throw new IllegalArgumentException("buffer of " + size + " bytes cannot hold " + initial.length);
            }
            if (alignment < DEFAULT_ALIGNMENT || alignment > 4096 || Integer.bitCount(alignment) != 1) {
                throw new IllegalArgumentException("buffer alignment must be a power of two from 16 to 4096, got "
                        + alignment);
            }
            initial = initial.clone();
        }

        /** A 16-byte aligned buffer. */
        public Buffer(int size, byte[] initial) {
            this(size, initial, DEFAULT_ALIGNMENT);
        }

        @Override
        public byte[] initial() {
            return initial.clone();
        }

        /** A zeroed buffer. */
        public static Buffer zeroed(int size) {
            return new Buffer(size, new byte[0]);
        }
    }

    /** An integer argument. */
    static Argument value(long v) {
        return new Value(v);
    }
}
