package io.hvprobe.manifest;

import io.hvprobe.guest.Argument;

/** One argument of a manifest entry. */
public sealed interface ArgumentSpec {
    /** The C parameter name. */
    String name();

    /** The argument the guest call passes. */
    Argument toArgument();

    /** {@code kind: int}. */
    record IntArg(String name, long value) implements ArgumentSpec {
        @Override
        public Argument toArgument() {
            return Argument.value(value);
        }
    }

    /** {@code kind: buffer}: {@code size} bytes, {@code initial} (fill or NUL-padded text), aligned to {@code align}. */
    record BufferArg(String name, int size, byte[] initial, int align) implements ArgumentSpec {
        public BufferArg {
            initial = initial.clone();
        }

        @Override
        public byte[] initial() {
            return initial.clone();
        }

        @Override
        public Argument toArgument() {
            return new Argument.Buffer(size, initial, align);
        }
    }
}
