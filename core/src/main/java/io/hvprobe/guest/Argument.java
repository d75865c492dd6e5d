package io.hvprobe.guest;

/** One argument of a {@link GuestCall}. */
public sealed interface Argument {

    /**
     * An integer passed in a register.
     *
     * @param value the full 64-bit register value
     */
    record Value(long value) implements Argument {
    }

    /**
     * A pointer to a fresh guest buffer of {@code size} bytes, filled with {@code initial} (zero-padded);
     * its contents after the call come back in the result (out-parameters).
     *
     * @param size    the buffer's size in bytes, 0 or more
     * @param initial its first bytes, at most {@code size} (copied)
     * @param alignment the buffer's guest address alignment: a power of two from 16 to 4096 (default 16)
     */
    record Buffer(int size, byte[] initial, int alignment) implements Argument {
        /** Default alignment of a buffer in the guest heap. */
        public static final int DEFAULT_ALIGNMENT = 16;

        /**
         * Checks the size and alignment and copies {@code initial}.
         *
         * @param size      the buffer's size in bytes, 0 or more
         * @param initial   its first bytes, at most {@code size} (copied)
         * @param alignment a power of two from 16 to 4096
         * @throws IllegalArgumentException for a negative size, a too long {@code initial} or a bad alignment
         */
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

        /**
         * A 16-byte aligned buffer.
         *
         * @param size    the buffer's size in bytes, 0 or more
         * @param initial its first bytes, at most {@code size} (copied)
         * @throws IllegalArgumentException when {@code initial} is longer than {@code size}
         */
        public Buffer(int size, byte[] initial) {
            this(size, initial, DEFAULT_ALIGNMENT);
        }

        /** {@return the initial contents: a new copy on each call} */
        @Override
        public byte[] initial() {
            return initial.clone();
        }

        /**
         * A zeroed buffer.
         *
         * @param size the buffer's size in bytes, 0 or more
         * @return a 16-byte aligned buffer of zeroes
         */
        public static Buffer zeroed(int size) {
            return new Buffer(size, new byte[0]);
        }

        /**
         * A buffer holding exactly {@code bytes} (e.g. a key, a packet, a struct read from hex).
         *
         * @param bytes the contents (copied)
         * @return a 16-byte aligned buffer of {@code bytes.length} bytes
         */
        public static Buffer of(byte[] bytes) {
            return new Buffer(bytes.length, bytes);
        }

        /**
         * A pointer to one initialised integer of {@code width} bytes (1, 2, 4 or 8; little-endian, as both
         * guest arches store it), e.g. a {@code size_t *length} holding 256: {@code Buffer.integer(8, 256)}.
         *
         * @param width 1, 2, 4 or 8
         * @param value the integer; only its low {@code width} bytes are stored
         * @return a buffer of {@code width} bytes
         * @throws IllegalArgumentException for another width
         */
        public static Buffer integer(int width, long value) {
            return zeroed(width).with(0, width, value);
        }

        /**
         * This buffer with the {@code width}-byte little-endian integer {@code value} at {@code offset} (a field
         * of a struct): {@code Buffer.zeroed(64).with(8, 4, 5)} is a zeroed 64-byte struct whose u32 at 8 is 5.
         *
         * @param offset the field's byte offset in the buffer
         * @param width  1, 2, 4 or 8
         * @param value  the integer; only its low {@code width} bytes are stored
         * @return a new buffer; this one is unchanged
         * @throws IllegalArgumentException for a width other than 1, 2, 4, 8 or a field outside the buffer
         */
        public Buffer with(int offset, int width, long value) {
            if (width != 1 && width != 2 && width != 4 && width != 8) {
                throw new IllegalArgumentException("an integer field is 1, 2, 4 or 8 bytes wide, got " + width);
            }
            if (offset < 0 || offset > size - width) {
                throw new IllegalArgumentException("a " + width + "-byte field at offset " + offset
                        + " does not fit a buffer of " + size + " bytes");
            }
            byte[] bytes = java.util.Arrays.copyOf(initial, Math.max(initial.length, offset + width));
            for (int i = 0; i < width; i++) {
                bytes[offset + i] = (byte) (value >>> (8 * i));
            }
            return new Buffer(size, bytes, alignment);
        }
    }

    /**
     * An integer argument.
     *
     * @param v the value, passed in a register (or on the stack past the sixth argument on x86_64)
     * @return the argument
     */
    static Argument value(long v) {
        return new Value(v);
    }

    /**
     * A pointer to a NUL-terminated UTF-8 copy of {@code text} (the command line's {@code str:TEXT}).
     *
     * @param text the string
     * @return a buffer argument holding the string and its terminating NUL
     */
    static Buffer string(String text) {
        return ArgumentSyntax.string(text);
    }

    /**
     * A pointer to exactly these bytes (the command line's {@code hex:BYTES}).
     *
     * @param bytes the buffer's contents
     * @return a buffer argument of {@code bytes.length} bytes
     */
    static Buffer bytes(byte... bytes) {
        return Buffer.of(bytes);
    }

    /**
     * A pointer to one initialised little-endian integer (the command line's {@code ptr:uN=VALUE}), e.g. a
     * {@code size_t *length} holding 256: {@code Argument.pointerTo(8, 256)}.
     *
     * @param width the integer's width in bytes: 1, 2, 4 or 8
     * @param value the integer
     * @return a buffer argument of {@code width} bytes
     */
    static Buffer pointerTo(int width, long value) {
        return Buffer.integer(width, value);
    }

    /**
     * A pointer to a fresh zeroed buffer (the command line's {@code buf:SIZE}); set fields with
     * {@link Buffer#with}.
     *
     * @param size the buffer's size in bytes
     * @return a zeroed buffer argument
     */
    static Buffer buffer(int size) {
        return Buffer.zeroed(size);
    }

    /**
     * The argument the command line's {@code --arg TEXT} stands for: {@code 42}, {@code 0x10}, {@code str:TEXT},
     * {@code ptr:u64=256}, {@code hex:666f6f00}, {@code buf:64,u32@8=5} ({@link ArgumentSyntax}).
     *
     * @param text one argument
     * @return the argument
     * @throws IllegalArgumentException naming the bad value and the expected form
     */
    static Argument parse(String text) {
        return ArgumentSyntax.parse(text);
    }
}
