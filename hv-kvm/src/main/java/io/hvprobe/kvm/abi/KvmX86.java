package io.hvprobe.kvm.abi;

/**
 * KVM's x86 hypercall ABI (Linux {@code include/uapi/linux/kvm_para.h}, {@code arch/x86/include/uapi/asm/kvm_para.h},
 * {@code arch/x86/kvm/x86.c}): hypercall numbers, error codes, CPUID leaves and feature bits.
 */
public final class KvmX86 {
    private KvmX86() {
    }

    /** {@code KVM_HC_VAPIC_POLL_IRQ}. */
    public static final int HC_VAPIC_POLL_IRQ = 1;
    /** {@code KVM_HC_KICK_CPU}: wake a vCPU halted in a paravirtual spinlock. */
    public static final int HC_KICK_CPU = 5;
    /** {@code KVM_HC_CLOCK_PAIRING}: host wall clock paired with the guest TSC. */
    public static final int HC_CLOCK_PAIRING = 9;
    /** {@code KVM_HC_SEND_IPI}: IPIs to a bitmap of APIC ids. */
    public static final int HC_SEND_IPI = 10;
    /** {@code KVM_HC_SCHED_YIELD}: yield to the vCPU holding a lock. */
    public static final int HC_SCHED_YIELD = 11;
    /** {@code KVM_HC_MAP_GPA_RANGE}: change the encryption attribute of guest pages (SEV). */
    public static final int HC_MAP_GPA_RANGE = 12;

    /** {@code KVM_ENOSYS}: unknown hypercall. */
    public static final long ENOSYS = 1000;
    /** {@code KVM_EFAULT} (= EFAULT). */
    public static final long EFAULT = 14;
    /** {@code KVM_EINVAL} (= EINVAL). */
    public static final long EINVAL = 22;
    /** {@code KVM_EOPNOTSUPP} (= EOPNOTSUPP). */
    public static final long EOPNOTSUPP = 95;

    /** {@code KVM_CLOCK_PAIRING_WALLCLOCK}: the only clock type KVM pairs. */
    public static final long CLOCK_PAIRING_WALLCLOCK = 0;
    /** Size of {@code struct kvm_clock_pairing}: sec, nsec, tsc (8 bytes each), flags (4), pad[9] (36). */
    public static final int CLOCK_PAIRING_SIZE = 64;

    /** CPUID leaf with the signature and the largest KVM leaf. */
    public static final long CPUID_SIGNATURE = 0x40000000L;
    /** CPUID leaf with the feature bits (EAX) and hints (EDX). */
    public static final long CPUID_FEATURES = 0x40000001L;
    /** "KVMKVMKVM\0\0\0" as EBX, ECX, EDX. */
    public static final long SIGNATURE_EBX = 0x4b4d564bL;
    /** Second word of the signature. */
    public static final long SIGNATURE_ECX = 0x564b4d56L;
    /** Third word of the signature. */
    public static final long SIGNATURE_EDX = 0x4dL;

    /** {@code KVM_FEATURE_PV_UNHALT} (KICK_CPU). */
    public static final int FEATURE_PV_UNHALT = 7;
    /** {@code KVM_FEATURE_PV_SEND_IPI}. */
    public static final int FEATURE_PV_SEND_IPI = 11;
    /** {@code KVM_FEATURE_PV_SCHED_YIELD}. */
    public static final int FEATURE_PV_SCHED_YIELD = 13;
    /** {@code KVM_FEATURE_HC_MAP_GPA_RANGE}. */
    public static final int FEATURE_HC_MAP_GPA_RANGE = 16;
}
