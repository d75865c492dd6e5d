package io.hvprobe.guest;

/** One argument of a {@link GuestCall}. */
public sealed interface Argument {

    /** An integer passed in a register. */
    record Value(long value) implements Argument {
    }

    /**
     * A pointer to a fresh guest buffer of {@code size} bytes, filled with {@code initial} (zero-padded);
     * its contents after the call come back in the result (out-parameters).
     */
    record Buffer(int size, byte[] initial) implements Argument {
        public Buffer {
            if (size < 0 || initial.length > size) {
                throw new IllegalArgumentException("buffer of " + size + " bytes cannot hold " + initial.length);
            }
            initial = initial.clone();
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
