package io.hvprobe.manifest;

/**
 * A register value a hypercall expectation names: a number, or a symbol resolved during the run
 * ({@code hi32(arg)}, {@code lo32(arg)}, {@code addr(arg)}, {@code chan}, {@code cookie_hi}, {@code cookie_lo}).
 */
public sealed interface Value {

    /** A literal number. */
    record Literal(long value) implements Value {
        @Override
        public String toString() {
            return "0x" + Long.toHexString(value);
        }
    }

    /** Bits 63:32 of a buffer argument's guest address. */
    record Hi32(String argument) implements Value {
        @Override
        public String toString() {
            return "hi32(" + argument + ")";
        }
    }

    /** Bits 31:0 of a buffer argument's guest address. */
    record Lo32(String argument) implements Value {
        @Override
        public String toString() {
            return "lo32(" + argument + ")";
        }
    }

    /** A buffer argument's guest address. */
    record Addr(String argument) implements Value {
        @Override
        public String toString() {
            return "addr(" + argument + ")";
        }
    }

    /** A value the GuestRPC OPEN returned: the channel id ({@code id << 16}) or a cookie half. */
    record FromOpen(Kind kind) implements Value {
        /** Which OPEN output. */
        public enum Kind {
            /** {@code chan}: the channel id as {@code id << 16}. */
            CHAN,
            /** {@code cookie_hi}. */
            COOKIE_HI,
            /** {@code cookie_lo}. */
            COOKIE_LO
        }

        @Override
        public String toString() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
