package io.hvprobe.unicorn;

/**
 * AArch64 register ids for {@code uc_reg_read}/{@code uc_reg_write} ({@code uc_arm64_reg}).
 * Each field {@code F} equals {@code UC_ARM64_REG_F} in the Unicorn 2.0.1 headers (checked by a test that parses them).
 */
public final class UcArm64Reg {
    // general registers; X0..X28 are consecutive, X29/X30 are not (see x(int))
    public static final int X0 = 199;
    public static final int X1 = 200;
    public static final int X2 = 201;
    public static final int X3 = 202;
    public static final int X4 = 203;
    public static final int X5 = 204;
    public static final int X6 = 205;
    public static final int X7 = 206;
    public static final int X8 = 207;
    public static final int X9 = 208;
    public static final int X10 = 209;
    public static final int X11 = 210;
    public static final int X12 = 211;
    public static final int X13 = 212;
    public static final int X14 = 213;
    public static final int X15 = 214;
    public static final int X16 = 215;
    public static final int X17 = 216;
    public static final int X18 = 217;
    public static final int X19 = 218;
    public static final int X20 = 219;
    public static final int X21 = 220;
    public static final int X22 = 221;
    public static final int X23 = 222;
    public static final int X24 = 223;
    public static final int X25 = 224;
    public static final int X26 = 225;
    public static final int X27 = 226;
    public static final int X28 = 227;
    public static final int X29 = 1;
    public static final int X30 = 2;
    public static final int FP = 1;
    public static final int LR = 2;
    public static final int SP = 4;
    public static final int XZR = 7;
    public static final int PC = 260;

    // flags: NZCV reads as PSTATE & 0xF0000000; PSTATE is the whole process state (CPSR-like, 32 bits)
    public static final int NZCV = 3;
    public static final int PSTATE = 265;

    // system registers the guest machine sets up
    public static final int TPIDR_EL0 = 262;
    public static final int TPIDRRO_EL0 = 263;
    public static final int TPIDR_EL1 = 264;
    public static final int SP_EL0 = 270;
    public static final int SP_EL1 = 271;
    public static final int CPACR_EL1 = 261;
    public static final int VBAR_EL1 = 287;
    public static final int ELR_EL1 = 267;
    public static final int ESR_EL1 = 277;
    public static final int FAR_EL1 = 281;
    public static final int MAIR_EL1 = 285;
    public static final int TTBR0_EL1 = 274;
    public static final int TTBR1_EL1 = 275;

    // floating-point control and status
    public static final int FPCR = 291;
    public static final int FPSR = 292;

    private UcArm64Reg() {
    }

    /** The id of register {@code Xn}, {@code n} in 0..30. */
    public static int x(int n) {
        if (n < 0 || n > 30) {
            throw new IllegalArgumentException("no register x" + n);
        }
        return switch (n) {
            case 29 -> X29;
            case 30 -> X30;
            default -> X0 + n;
        };
    }
}
