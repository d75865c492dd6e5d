package io.hvprobe.kvm.smccc;

import io.hvprobe.kvm.abi.Smccc;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The SMCCC functions the model answers: their IDs, arguments and how many result registers they define. */
public enum SmcccFunction {
    SMCCC_VERSION(Smccc.VERSION, 1, "the SMC Calling Convention version (1.1 and later)"),
    SMCCC_ARCH_FEATURES(Smccc.ARCH_FEATURES, 1, "whether an Arm architecture call is implemented (1.1 and later)",
            "function ID"),
    SMCCC_ARCH_WORKAROUND_1(Smccc.ARCH_WORKAROUND_1, 1, "Spectre-v2 branch-predictor invalidation"),
    SMCCC_ARCH_WORKAROUND_2(Smccc.ARCH_WORKAROUND_2, 1, "speculative-store-bypass mitigation on or off", "enable"),
    SMCCC_ARCH_WORKAROUND_3(Smccc.ARCH_WORKAROUND_3, 1, "Spectre-BHB mitigation"),
    PSCI_VERSION(Smccc.PSCI_VERSION, 1, "the PSCI version"),
    PSCI_CPU_SUSPEND(Smccc.PSCI_CPU_SUSPEND, 1, "suspend the calling CPU (KVM: wait for an interrupt)",
            "power state", "entry point", "context ID"),
    PSCI_CPU_SUSPEND_64(Smccc.PSCI_CPU_SUSPEND | Smccc.CONV_64, 1, "CPU_SUSPEND, SMC64", "power state",
            "entry point", "context ID"),
    PSCI_CPU_OFF(Smccc.PSCI_CPU_OFF, 1, "power the calling CPU off (does not return)"),
    PSCI_CPU_ON(Smccc.PSCI_CPU_ON, 1, "power a CPU on at an entry point", "target MPIDR", "entry point",
            "context ID"),
    PSCI_CPU_ON_64(Smccc.PSCI_CPU_ON | Smccc.CONV_64, 1, "CPU_ON, SMC64", "target MPIDR", "entry point",
            "context ID"),
    PSCI_AFFINITY_INFO(Smccc.PSCI_AFFINITY_INFO, 1, "whether a CPU is on (0), off (1) or on pending (2)",
            "target affinity", "lowest affinity level"),
    PSCI_AFFINITY_INFO_64(Smccc.PSCI_AFFINITY_INFO | Smccc.CONV_64, 1, "AFFINITY_INFO, SMC64", "target affinity",
            "lowest affinity level"),
    PSCI_MIGRATE_INFO_TYPE(Smccc.PSCI_MIGRATE_INFO_TYPE, 1, "whether a Trusted OS needs migrating (2: none)"),
    PSCI_SYSTEM_OFF(Smccc.PSCI_SYSTEM_OFF, 1, "power the system off (does not return)"),
    PSCI_SYSTEM_RESET(Smccc.PSCI_SYSTEM_RESET, 1, "reset the system (does not return)"),
    PSCI_FEATURES(Smccc.PSCI_FEATURES, 1, "whether a PSCI or SMCCC function is implemented", "function ID"),
    TRNG_VERSION(Smccc.TRNG_VERSION, 1, "the TRNG interface version"),
    TRNG_FEATURES(Smccc.TRNG_FEATURES, 1, "whether a TRNG function is implemented", "function ID"),
    TRNG_GET_UUID(Smccc.TRNG_GET_UUID, 4, "the TRNG back end's UUID in W0..W3"),
    TRNG_RND32(Smccc.TRNG_RND32, 4, "up to 96 random bits in W1..W3 (W3 holds the lowest)", "bits"),
    TRNG_RND64(Smccc.TRNG_RND64, 4, "up to 192 random bits in X1..X3 (X3 holds the lowest)", "bits"),
    KVM_VENDOR_HYP_UID(Smccc.VENDOR_HYP_UID, 4, "the vendor hypervisor's UID in W0..W3 (KVM's)"),
    KVM_FEATURES(Smccc.KVM_FEATURES, 1, "bitmap of KVM's vendor hypervisor services (features, PTP)"),
    KVM_PTP(Smccc.KVM_PTP, 4, "wall clock (ns, X0:X1) and counter (X2:X3) read together",
            "counter (0 virtual, 1 physical)");

    private final FunctionId id;
    private final int results;
    private final String description;
    private final List<String> arguments;

    SmcccFunction(long id, int results, String description, String... arguments) {
        this.id = new FunctionId(id);
        this.results = results;
        this.description = description;
        this.arguments = List.of(arguments);
    }

    /** The function ID. */
    public FunctionId id() {
        return id;
    }

    /** How many of X0..X3 carry defined results. */
    public int results() {
        return results;
    }

    /** What it does, one sentence. */
    public String description() {
        return description;
    }

    /** The meaning of X1, X2, ... in order. */
    public List<String> arguments() {
        return arguments;
    }

    /**
     * Whether the caller resumes after the call: CPU_OFF, SYSTEM_OFF and SYSTEM_RESET hand the CPU (or the machine)
     * to the hypervisor for good (DEN0022: they return only on failure, which KVM never reports for them).
     */
    public boolean returns() {
        return switch (this) {
            case PSCI_CPU_OFF, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET -> false;
            case SMCCC_VERSION, SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, SMCCC_ARCH_WORKAROUND_2,
                 SMCCC_ARCH_WORKAROUND_3, PSCI_VERSION, PSCI_CPU_SUSPEND, PSCI_CPU_SUSPEND_64, PSCI_CPU_ON,
                 PSCI_CPU_ON_64, PSCI_AFFINITY_INFO, PSCI_AFFINITY_INFO_64, PSCI_MIGRATE_INFO_TYPE, PSCI_FEATURES,
                 TRNG_VERSION, TRNG_FEATURES, TRNG_GET_UUID, TRNG_RND32, TRNG_RND64, KVM_VENDOR_HYP_UID, KVM_FEATURES,
                 KVM_PTP -> true;
        };
    }

    /** The function with {@code id}, if the model has it. */
    public static Optional<SmcccFunction> of(FunctionId id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }
}
