package io.hvprobe.vmware.profile;

/**
 * What a guest may assume about bits 63:32 of a register a command writes with a 32-bit value (x86_64 and arm64).
 * Real VMware: UNCERTAIN (spec §2.3, §10); the model itself always zero-extends, like a 32-bit {@code mov}.
 */
public enum OutputUpperHalf {
    /**
     * Default: nothing. Contracts declare 32-bit writes, so the verifier treats bits 63:32 as undefined and a guest
     * that uses them gets {@code hvprobe.undefined-consumed}. Outputs the ABI sheet defines in full (balloon START's
     * capabilities in RCX, the negotiated 64-bit balloon target in RBX, TDX RAX/R10) are 64-bit writes anyway.
     */
    UNDEFINED,
    /** Zero: every 32-bit output is declared a 64-bit write of the zero-extended value (QEMU stores them so, §8). */
    ZERO_EXTENDED
}
