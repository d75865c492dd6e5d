package io.hvprobe.kvm.x86;

import io.hvprobe.kvm.abi.KvmX86;
import io.hvprobe.kvm.profile.KvmProfile;

import java.util.Optional;

/** KVM's hypervisor CPUID leaves: 0x40000000 (signature, largest leaf) and 0x40000001 (features, hints). */
public final class KvmCpuid {
    private KvmCpuid() {
    }

    /** EAX, EBX, ECX, EDX of {@code leaf}, when it is one of KVM's. */
    public static Optional<long[]> answer(KvmProfile profile, long leaf) {
        if (leaf == KvmX86.CPUID_SIGNATURE) {
            return Optional.of(new long[] {KvmX86.CPUID_FEATURES, KvmX86.SIGNATURE_EBX, KvmX86.SIGNATURE_ECX,
                    KvmX86.SIGNATURE_EDX});
        }
        if (leaf == KvmX86.CPUID_FEATURES) {
            return Optional.of(new long[] {profile.x86Features(), 0, 0, 0});
        }
        return Optional.empty();
    }
}
