package io.hvprobe.unicorn;

/** Unicorn's {@code uc_err} codes; {@link #code()} is the value in {@code unicorn.h} ({@code UC_ERR_<name>}). */
public enum UcError {
    OK, NOMEM, ARCH, HANDLE, MODE, VERSION, READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, HOOK,
    INSN_INVALID, MAP, WRITE_PROT, READ_PROT, FETCH_PROT, ARG, READ_UNALIGNED, WRITE_UNALIGNED,
    FETCH_UNALIGNED, HOOK_EXIST, RESOURCE, EXCEPTION,
    /** A code this binding does not know (newer library); never returned by Unicorn 2.0.1. */
    UNKNOWN;

    private static final UcError[] BY_CODE = values();

    /** The numeric {@code uc_err} value. */
    public int code() {
        return this == UNKNOWN ? -1 : ordinal();
    }

    /** The constant for a numeric {@code uc_err} value. */
    public static UcError of(int code) {
        return code >= 0 && code < UNKNOWN.ordinal() ? BY_CODE[code] : UNKNOWN;
    }

    /** True for the errors that end emulation because of a guest memory access. */
    public boolean isMemoryFault() {
        return switch (this) {
            case READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, READ_PROT, WRITE_PROT, FETCH_PROT,
                 READ_UNALIGNED, WRITE_UNALIGNED, FETCH_UNALIGNED -> true;
            default -> false;
        };
    }
}
