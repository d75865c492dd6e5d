package io.hvprobe.unicorn;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;

/** Maps hvprobe's {@link GuestRegister}s to Unicorn register ids. */
public final class GuestRegisterIds {
    private static final int[] X86 = ids(Arch.X86_64);
    private static final int[] ARM64 = ids(Arch.ARM64);

    private GuestRegisterIds() {
    }

    /** The Unicorn id of {@code register}. */
    public static int of(GuestRegister register) {
        return switch (register) {
            case X86Register r -> x86(r);
            case Arm64Register r -> arm64(r);
        };
    }

    /** The Unicorn ids of {@code arch}'s registers in snapshot order (a fresh array). */
    public static int[] snapshotOrder(Arch arch) {
        return shared(arch).clone();
    }

    /** Like {@link #snapshotOrder} but not copied; callers must not modify it. */
    static int[] shared(Arch arch) {
        return arch == Arch.X86_64 ? X86 : ARM64;
    }

    private static int[] ids(Arch arch) {
        return arch.registers().stream().mapToInt(GuestRegisterIds::of).toArray();
    }

    private static int x86(X86Register r) {
        return switch (r) {
            case RAX -> UcX86Reg.RAX;
            case RBX -> UcX86Reg.RBX;
            case RCX -> UcX86Reg.RCX;
            case RDX -> UcX86Reg.RDX;
            case RSI -> UcX86Reg.RSI;
            case RDI -> UcX86Reg.RDI;
            case RBP -> UcX86Reg.RBP;
            case RSP -> UcX86Reg.RSP;
            case R8 -> UcX86Reg.R8;
            case R9 -> UcX86Reg.R9;
            case R10 -> UcX86Reg.R10;
            case R11 -> UcX86Reg.R11;
            case R12 -> UcX86Reg.R12;
            case R13 -> UcX86Reg.R13;
            case R14 -> UcX86Reg.R14;
            case R15 -> UcX86Reg.R15;
            case RIP -> UcX86Reg.RIP;
            case RFLAGS -> UcX86Reg.RFLAGS;
        };
    }

    private static int arm64(Arm64Register r) {
        return switch (r) {
            case SP -> UcArm64Reg.SP;
            case PC -> UcArm64Reg.PC;
            // Unicorn's NZCV register reads PSTATE masked to bits 31..28, the architectural NZCV layout.
            case NZCV -> UcArm64Reg.NZCV;
            default -> UcArm64Reg.x(r.ordinal() - Arm64Register.X0.ordinal());
        };
    }
}
