package io.hvprobe.unicorn;

/** The kind of memory access a memory hook reports ({@code uc_mem_type}; constant {@code F} is {@code UC_MEM_F}). */
public enum UcMemType {
    READ(16), WRITE(17), FETCH(18), READ_UNMAPPED(19), WRITE_UNMAPPED(20), FETCH_UNMAPPED(21),
    WRITE_PROT(22), READ_PROT(23), FETCH_PROT(24), READ_AFTER(25);

    private final int code;

    UcMemType(int code) {
        this.code = code;
    }

    /** The numeric {@code uc_mem_type} value. */
    public int code() {
        return code;
    }

    /** The constant for a numeric value; {@code null} if Unicorn reports a type this binding does not know. */
    static UcMemType of(int code) {
        int i = code - READ.code;
        return i >= 0 && i < VALUES.length ? VALUES[i] : null;
    }

    private static final UcMemType[] VALUES = values();
}
