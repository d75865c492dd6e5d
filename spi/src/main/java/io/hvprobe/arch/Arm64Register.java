package io.hvprobe.arch;

/** AArch64 general registers X0..X30, SP, PC and the NZCV flags. */
public enum Arm64Register implements GuestRegister {
    X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15,
    X16, X17, X18, X19, X20, X21, X22, X23, X24, X25, X26, X27, X28, X29, X30,
    SP, PC, NZCV;

    @Override
    public Arch arch() {
        return Arch.ARM64;
    }

    /** Register {@code Xn} for {@code n} in 0..30. */
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
