package io.hvprobe.arch;

/** AArch64 general registers X0..X30, SP, PC and the NZCV flags. */
public enum Arm64Register implements GuestRegister {
    /** First argument and the return value (AAPCS64); the SMCCC function id at {@code HVC}/{@code SMC}. */
    X0,
    /** Argument 2 (AAPCS64); an SMCCC argument and result register. */
    X1,
    /** Argument 3 (AAPCS64); an SMCCC argument and result register. */
    X2,
    /** Argument 4 (AAPCS64); an SMCCC argument and result register. */
    X3,
    /** Argument 5 (AAPCS64); an SMCCC argument and result register. */
    X4,
    /** Argument 6 (AAPCS64); an SMCCC argument and result register. */
    X5,
    /** Argument 7 (AAPCS64); an SMCCC argument and result register. */
    X6,
    /** Argument 8 (AAPCS64); an SMCCC argument and result register. */
    X7,
    /** Indirect result location (AAPCS64). */
    X8,
    /** Caller-saved scratch register (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X9,
    /** Caller-saved scratch register (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X10,
    /** Caller-saved scratch register (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X11,
    /** Caller-saved scratch register (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X12,
    /** Caller-saved scratch register (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X13,
    /** Caller-saved scratch register (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X14,
    /** Caller-saved scratch register (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X15,
    /** Intra-procedure-call scratch register IP0 (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X16,
    /** Intra-procedure-call scratch register IP1 (AAPCS64); SMCCC 1.2 may use it for arguments and results. */
    X17,
    /** The platform register (AAPCS64); neither caller- nor callee-saved. */
    X18,
    /** Callee-saved (AAPCS64). */
    X19,
    /** Callee-saved (AAPCS64). */
    X20,
    /** Callee-saved (AAPCS64). */
    X21,
    /** Callee-saved (AAPCS64). */
    X22,
    /** Callee-saved (AAPCS64). */
    X23,
    /** Callee-saved (AAPCS64). */
    X24,
    /** Callee-saved (AAPCS64). */
    X25,
    /** Callee-saved (AAPCS64). */
    X26,
    /** Callee-saved (AAPCS64). */
    X27,
    /** Callee-saved (AAPCS64). */
    X28,
    /** The frame pointer FP, callee-saved (AAPCS64). */
    X29,
    /** The link register LR: the return address of a call. */
    X30,
    /** The stack pointer, callee-saved. */
    SP,
    /** The program counter. */
    PC,
    /** The condition flags: negative, zero, carry, overflow. */
    NZCV;

    /** {@return {@link Arch#ARM64}, the architecture of every AArch64 register} */
    @Override
    public Arch arch() {
        return Arch.ARM64;
    }

    /**
     * Register {@code Xn} by number.
     *
     * @param n the register number, 0..30
     * @return {@code Xn}
     * @throws IllegalArgumentException when {@code n} is outside 0..30
     */
    public static Arm64Register x(int n) {
        if (n < 0 || n > 30) {
            throw new IllegalArgumentException("no register x" + n);
        }
        return values()[n];
    }

    static Arm64Register parse(String upper) {
        String n = upper;
        if (n.equals("FP")) {
            return X29;
        }
        if (n.equals("LR")) {
            return X30;
        }
        if (n.startsWith("W") && n.length() > 1 && Character.isDigit(n.charAt(1))) {
            n = "X" + n.substring(1);
        }
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown arm64 register: " + upper.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
