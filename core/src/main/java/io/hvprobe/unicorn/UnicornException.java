package io.hvprobe.unicorn;

/**
 * A Unicorn call failed. Carries the typed {@link UcError} and Unicorn's own text for it
 * ({@code uc_strerror}); the message reads {@code "<function>: <text> (UC_ERR_<name>)"}.
 */
public final class UnicornException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final UcError error;
    private final int code;
    private final String description;

    UnicornException(String function, int code) {
        this(function, code, UcNative.strerror(code));
    }

    private UnicornException(String function, int code, String description) {
        super(function + ": " + description + " (UC_ERR_" + UcError.of(code).name() + ")");
        this.error = UcError.of(code);
        this.code = code;
        this.description = description;
    }

    /** The typed error. */
    public UcError error() {
        return error;
    }

    /** The raw {@code uc_err} value. */
    public int code() {
        return code;
    }

    /** {@code uc_strerror}'s text for the error. */
    public String description() {
        return description;
    }

    /** Throws for any code other than {@code UC_ERR_OK}. */
    static void check(String function, int code) {
        if (code != 0) {
            throw new UnicornException(function, code);
        }
    }
}
