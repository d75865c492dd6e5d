package io.hvprobe.kvm.profile;

/**
 * What one KVM model configuration answers.
 *
 * @param name          the profile name
 * @param smccc         the SMC Calling Convention version of the arm64 firmware interface
 * @param psciVersion   what PSCI_VERSION answers (major in bits 31:16, minor in bits 15:0)
 * @param cpus          vCPUs (MPIDR Aff0 0..cpus-1; x86 APIC ids 0..cpus-1); CPU 0 runs the guest code
 * @param x86Features   CPUID 0x40000001 EAX
 * @param tscHz         the x86 TSC frequency the clock pairing reports cycles in
 * @param counterHz     the arm64 counter frequency KVM's PTP call reports cycles in
 * @param seed          seed of the TRNG's generator (runs with the same seed get the same bytes)
 */
public record KvmProfile(String name, SmcccVersion smccc, long psciVersion, int cpus, long x86Features, long tscHz,
                         long counterHz, long seed) {

    public KvmProfile {
        if (cpus < 1 || cpus > 64) {
            throw new IllegalArgumentException("profile " + name + ": cpus must be 1..64, got " + cpus);
        }
    }

    /** This profile with another TRNG seed. */
    public KvmProfile withSeed(long s) {
        return new KvmProfile(name, smccc, psciVersion, cpus, x86Features, tscHz, counterHz, s);
    }
}
