package io.hvprobe.kvm.smccc;

import io.hvprobe.kvm.abi.Smccc;

/**
 * A function identifier as SMCCC lays it out in W0: fast or yielding call, SMC32 or SMC64 convention, owning entity
 * (bits 29:24), reserved bits 23:16 and the function number (bits 15:0).
 *
 * @param raw the 32-bit identifier (the upper half of X0 is not part of it)
 */
public record FunctionId(long raw) {

    public FunctionId {
        raw &= 0xFFFF_FFFFL;
    }

    /** Fast call (bit 31). */
    public boolean fast() {
        return (raw & Smccc.FAST_CALL) != 0;
    }

    /** SMC64/HVC64 convention (bit 30): 64-bit arguments and results. */
    public boolean conv64() {
        return (raw & Smccc.CONV_64) != 0;
    }

    /** The owning entity number (0 Arm architecture, 4 standard secure, 6 vendor hypervisor ...). */
    public int owner() {
        return (int) (raw >>> 24) & 0x3F;
    }

    /** Whether reserved bits 23:16 are set. */
    public boolean reservedBitsSet() {
        return (raw & Smccc.RESERVED_BITS) != 0;
    }

    /** The bits an argument register of this convention carries: all 64, or W's 32. */
    public long argumentMask() {
        return conv64() ? -1L : 0xFFFF_FFFFL;
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(raw);
    }
}
