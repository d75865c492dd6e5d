package io.hvprobe.kvm.abi;

/**
 * Function identifiers and return codes of the Arm SMC Calling Convention (DEN0028) and the services the model
 * answers: Arm architecture calls, PSCI (DEN0022), TRNG (DEN0098) and KVM's vendor hypervisor service (Linux
 * {@code include/linux/arm-smccc.h}).
 */
public final class Smccc {
    private Smccc() {
    }

    /** Bit 31: fast call (1) or yielding call (0). */
    public static final long FAST_CALL = 1L << 31;
    /** Bit 30: SMC64/HVC64 calling convention. */
    public static final long CONV_64 = 1L << 30;
    /** Bits 23:16 must be zero (bit 16 is SVE's hint from SMCCC 1.3). */
    public static final long RESERVED_BITS = 0x00FF0000L;

    /** {@code SMCCC_VERSION} (SMCCC 1.1 and later). */
    public static final long VERSION = 0x80000000L;
    /** {@code SMCCC_ARCH_FEATURES} (SMCCC 1.1 and later). */
    public static final long ARCH_FEATURES = 0x80000001L;
    /** {@code SMCCC_ARCH_WORKAROUND_1} (Spectre v2). */
    public static final long ARCH_WORKAROUND_1 = 0x80008000L;
    /** {@code SMCCC_ARCH_WORKAROUND_2} (speculative store bypass). */
    public static final long ARCH_WORKAROUND_2 = 0x80007FFFL;
    /** {@code SMCCC_ARCH_WORKAROUND_3} (Spectre-BHB). */
    public static final long ARCH_WORKAROUND_3 = 0x80003FFFL;

    /** {@code SMCCC_RET_SUCCESS}. */
    public static final long RET_SUCCESS = 0;
    /** {@code SMCCC_RET_NOT_SUPPORTED}. */
    public static final long RET_NOT_SUPPORTED = -1;
    /** {@code SMCCC_RET_NOT_REQUIRED}. */
    public static final long RET_NOT_REQUIRED = -2;

    /** {@code PSCI_VERSION}. */
    public static final long PSCI_VERSION = 0x84000000L;
    /** {@code CPU_SUSPEND} (SMC32; SMC64 is 0xC4000001). */
    public static final long PSCI_CPU_SUSPEND = 0x84000001L;
    /** {@code CPU_OFF}. */
    public static final long PSCI_CPU_OFF = 0x84000002L;
    /** {@code CPU_ON} (SMC32; SMC64 is 0xC4000003). */
    public static final long PSCI_CPU_ON = 0x84000003L;
    /** {@code AFFINITY_INFO} (SMC32; SMC64 is 0xC4000004). */
    public static final long PSCI_AFFINITY_INFO = 0x84000004L;
    /** {@code MIGRATE_INFO_TYPE}. */
    public static final long PSCI_MIGRATE_INFO_TYPE = 0x84000006L;
    /** {@code SYSTEM_OFF}. */
    public static final long PSCI_SYSTEM_OFF = 0x84000008L;
    /** {@code SYSTEM_RESET}. */
    public static final long PSCI_SYSTEM_RESET = 0x84000009L;
    /** {@code PSCI_FEATURES} (PSCI 1.0). */
    public static final long PSCI_FEATURES = 0x8400000AL;

    /** PSCI {@code INVALID_PARAMETERS}. */
    public static final long PSCI_INVALID_PARAMS = -2;
    /** PSCI {@code INTERNAL_FAILURE}: what KVM leaves in X0 at SYSTEM_OFF and SYSTEM_RESET, should the VMM resume. */
    public static final long PSCI_INTERNAL_FAILURE = -6;
    /** PSCI {@code ALREADY_ON}. */
    public static final long PSCI_ALREADY_ON = -4;
    /** {@code AFFINITY_INFO}: on. */
    public static final long PSCI_AFFINITY_ON = 0;
    /** {@code AFFINITY_INFO}: off. */
    public static final long PSCI_AFFINITY_OFF = 1;
    /** {@code MIGRATE_INFO_TYPE}: no Trusted OS needing migration. */
    public static final long PSCI_TOS_NOT_PRESENT_MP = 2;

    /** {@code TRNG_VERSION}. */
    public static final long TRNG_VERSION = 0x84000050L;
    /** {@code TRNG_FEATURES}. */
    public static final long TRNG_FEATURES = 0x84000051L;
    /** {@code TRNG_GET_UUID}. */
    public static final long TRNG_GET_UUID = 0x84000052L;
    /** {@code TRNG_RND} SMC32: up to 96 bits in W1..W3. */
    public static final long TRNG_RND32 = 0x84000053L;
    /** {@code TRNG_RND} SMC64: up to 192 bits in X1..X3. */
    public static final long TRNG_RND64 = 0xC4000053L;
    /** TRNG version 1.0. */
    public static final long TRNG_VERSION_1_0 = 0x10000;
    /** TRNG {@code INVALID_PARAMETER}. */
    public static final long TRNG_INVALID_PARAMETER = -2;
    /**
     * KVM's TRNG UUID 0d21e000-4384-11eb-8070-5244554e5a4c as W0..W3: the UUID's 16 bytes read as four
     * little-endian 32-bit words.
     */
    private static final long[] TRNG_UUID_KVM = {0x00e0210dL, 0xeb118443L, 0x44527080L, 0x4c5a4e55L};

    /** {@code ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID}: bitmap of KVM's vendor services. */
    public static final long KVM_FEATURES = 0x86000000L;
    /** {@code ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID}: wall clock and counter, paired. */
    public static final long KVM_PTP = 0x86000001L;
    /** {@code ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID}. */
    public static final long VENDOR_HYP_UID = 0x8600FF01L;
    /** KVM's vendor-hypervisor UID (28b46fb6-2ec5-11e9-a9ca-4b564d003a74) as W0..W3. */
    private static final long[] KVM_UID = {0xb66fb428L, 0xe911c52eL, 0x564bcaa9L, 0x743a004dL};

    /** KVM's TRNG UUID as the four result words W0..W3. */
    public static long[] trngUuid() {
        return TRNG_UUID_KVM.clone();
    }

    /** KVM's vendor-hypervisor UID as the four result words W0..W3. */
    public static long[] kvmUid() {
        return KVM_UID.clone();
    }
    /** Bits of {@link #KVM_FEATURES}' answer: the features call itself (0) and PTP (1). */
    public static final long KVM_FEATURE_BITS = (1L << 0) | (1L << 1);
    /** {@code KVM_PTP_VIRT_COUNTER}. */
    public static final long PTP_VIRT_COUNTER = 0;
    /** {@code KVM_PTP_PHYS_COUNTER}. */
    public static final long PTP_PHYS_COUNTER = 1;
}
