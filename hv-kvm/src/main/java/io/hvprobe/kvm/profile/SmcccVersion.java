package io.hvprobe.kvm.profile;

/**
 * The SMC Calling Convention version a profile's firmware implements, which decides the register contract of every
 * SMCCC call (DEN0028).
 */
public enum SmcccVersion {
    /** 1.0: X4..X17 are unpredictable after a call; no SMCCC_VERSION, ARCH_FEATURES or ARCH_WORKAROUND calls. */
    V1_0(0x10000),
    /** 1.1: X4..X17 are preserved; SMCCC_VERSION and SMCCC_ARCH_FEATURES exist. */
    V1_1(0x10001),
    /** 1.2: as 1.1, and X0..X17 may carry arguments and results of the calls that define them. */
    V1_2(0x10002);

    private final long encoded;

    SmcccVersion(long encoded) {
        this.encoded = encoded;
    }

    /** The version as SMCCC_VERSION answers it: major in bits 30:16, minor in bits 15:0. */
    public long encoded() {
        return encoded;
    }

    /** Whether X4..X17 survive a call unchanged (1.1 and later). */
    public boolean preservesX4ToX17() {
        return this != V1_0;
    }

    /** Whether SMCCC_VERSION, SMCCC_ARCH_FEATURES and the ARCH_WORKAROUND calls exist (1.1 and later). */
    public boolean hasArchCalls() {
        return this != V1_0;
    }

    /** {@code 1.0}, {@code 1.1}, {@code 1.2}. */
    public String label() {
        return (encoded >>> 16) + "." + (encoded & 0xFFFF);
    }
}
