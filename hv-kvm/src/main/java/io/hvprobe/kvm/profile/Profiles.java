package io.hvprobe.kvm.profile;

import io.hvprobe.spi.HypervisorOptions;

import java.util.List;
import java.util.Map;

/**
 * The built-in profiles: {@code kvm} (Linux KVM as of 6.12: SMCCC 1.1, PSCI 1.1), and {@code smccc-1.0},
 * {@code smccc-1.1}, {@code smccc-1.2}, the same services behind the other calling-convention versions. The one
 * setting is {@code seed} (the TRNG generator's seed, decimal or 0x hex).
 */
public final class Profiles {
    private Profiles() {
    }

    /**
     * KVM's CPUID 0x40000001 EAX as KVM offers it (arch/x86/kvm/cpuid.c, __do_cpuid_func, KVM_CPUID_FEATURES):
     * CLOCKSOURCE (0), NOP_IO_DELAY (1), CLOCKSOURCE2 (3), ASYNC_PF (4), STEAL_TIME (5, with schedstats), PV_EOI (6),
     * PV_UNHALT (7), PV_TLB_FLUSH (9), ASYNC_PF_VMEXIT (10), PV_SEND_IPI (11), POLL_CONTROL (12), PV_SCHED_YIELD
     * (13), ASYNC_PF_INT (14) and CLOCKSOURCE_STABLE_BIT (24). Not MSI_EXT_DEST_ID (15), which the VMM adds, nor
     * HC_MAP_GPA_RANGE (16), which a VMM sets for SEV guests.
     */
    static final long KVM_FEATURES = bits(0, 1, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 24);
    private static final long PSCI_1_1 = 0x10001;
    private static final long PSCI_1_0 = 0x10000;
    private static final long DEFAULT_SEED = 0x6876_7072_6f62_6521L;

    private static final Map<String, KvmProfile> BUILT_IN = Map.of(
            "kvm", profile("kvm", SmcccVersion.V1_1, PSCI_1_1),
            "smccc-1.0", profile("smccc-1.0", SmcccVersion.V1_0, PSCI_1_0),
            "smccc-1.1", profile("smccc-1.1", SmcccVersion.V1_1, PSCI_1_1),
            "smccc-1.2", profile("smccc-1.2", SmcccVersion.V1_2, PSCI_1_1));

    /** The built-in names; the first is the default. */
    public static List<String> names() {
        return List.of("kvm", "smccc-1.0", "smccc-1.1", "smccc-1.2");
    }

    /**
     * The profile {@code options} select.
     *
     * @throws IllegalArgumentException for an unknown profile, a profile file (this model has none) or setting
     */
    public static KvmProfile load(HypervisorOptions options) {
        if (options.profileFile().isPresent()) {
            throw new IllegalArgumentException("the kvm model has no profile files (profiles: "
                    + String.join(", ", names()) + ")");
        }
        String name = options.profile().orElse(names().getFirst());
        KvmProfile p = BUILT_IN.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown kvm profile '" + name + "' (available: "
                    + String.join(", ", names()) + ")");
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(options.settings()).entrySet()) {
            if (!e.getKey().equals("seed")) {
                throw new IllegalArgumentException("unknown kvm setting '" + e.getKey() + "' (settings: seed)");
            }
            p = p.withSeed(parseSeed(e.getValue()));
        }
        return p;
    }

    private static long parseSeed(String v) {
        try {
            String t = v.trim();
            return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kvm setting seed: not a number: " + v);
        }
    }

    private static KvmProfile profile(String name, SmcccVersion v, long psci) {
        return new KvmProfile(name, v, psci, 4, KVM_FEATURES, 2_500_000_000L, 25_000_000L, DEFAULT_SEED);
    }

    private static long bits(int... b) {
        long m = 0;
        for (int i : b) {
            m |= 1L << i;
        }
        return m;
    }
}
