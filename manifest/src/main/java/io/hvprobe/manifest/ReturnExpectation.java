package io.hvprobe.manifest;

/** The expected return value of a call. */
public sealed interface ReturnExpectation {

    /** No expectation given: not checked. */
    record Unspecified() implements ReturnExpectation {
    }

    /** {@code any}: the value depends on model choices the sheet leaves open; not checked. */
    record Any() implements ReturnExpectation {
    }

    /**
     * {@code never}: the call does not return by its nature (PSCI {@code CPU_OFF}): the run must end at a hypercall
     * that does not return ({@code Fault.Kind.NO_RETURN}), and a return is a mismatch.
     */
    record Never() implements ReturnExpectation {
    }

    /**
     * Exactly {@code value}, compared at {@code bits} (32 for {@code int}/{@code unsigned int} returns, else 64).
     */
    record Exactly(long value, int bits) implements ReturnExpectation {
        /** Whether the raw return register {@code raw} holds this value. */
        public boolean matches(long raw) {
            return bits == 32 ? (int) raw == (int) value : raw == value;
        }

        /** The value as the C type reads it. */
        public String show(long raw) {
            long v = bits == 32 ? (long) (int) raw : raw;
            return v < 0 && v > -0x10000 ? v + " (0x" + Long.toHexString(bits == 32 ? v & 0xFFFF_FFFFL : v) + ")"
                    : "0x" + Long.toHexString(v);
        }
    }

    /** Whether the value is checked. */
    default boolean checked() {
        return this instanceof Exactly || this instanceof Never;
    }
}
