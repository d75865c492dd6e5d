package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;

/**
 * What to change, said once for every finding that needs it, and true for the architecture: the binary shows what
 * the code does, not how the asm statement was written, so advice names what each possible source would need.
 */
final class Advice {
    private Advice() {
    }

    /**
     * Flags set before a trap and read after it. On x86_64, GCC and clang treat every asm statement as clobbering
     * the flags ({@code "cc"} changes nothing there), so no compiler carried these flags across the asm: the
     * assembly itself — the asm template or a hand-written routine — sets them before the trap instruction and
     * reads them after it. On arm64 the compiler keeps NZCV across an asm that does not list {@code "cc"}; one that lists
     * it leaves the same explanation as on x86.
     */
    static String flags(Arch arch) {
        return switch (arch) {
            case X86_64 -> "GCC and clang treat every x86 asm statement as clobbering the flags, so the assembly itself"
                    + " (the asm template or a hand-written routine) sets them before the trap and reads them after it:"
                    + " compute them after the trap";
            case ARM64 -> "if the asm does not list \"cc\" among its clobbers, add it; if it does, the compiler did not"
                    + " carry NZCV across it, so the assembly itself (the asm template or a hand-written routine) sets"
                    + " them before the trap and reads them after it: compute them after the trap";
        };
    }

    /** A whole register the hypervisor may change, relied on after the trap. */
    static String register(GuestRegister r) {
        return "declare " + r.displayName() + " clobbered in the asm (in hand-written assembly: do not keep a value"
                + " in it across the trap)";
    }

    /** Bits 63:32 of a register the hypervisor writes 32 bits wide, used after the trap. */
    static String upperHalf(GuestRegister r) {
        return "use only bits 31:0 of " + r.displayName() + " (a 32-bit output variable, or mask the output)";
    }
}
