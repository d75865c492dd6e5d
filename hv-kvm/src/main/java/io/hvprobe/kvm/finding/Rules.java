package io.hvprobe.kvm.finding;

import io.hvprobe.spi.CatalogueRule;
import io.hvprobe.spi.Dependency;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.spi.Severity;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The finding rules of the KVM model (docs/RULES.md, "KVM model"): the one place for each rule's stable id, default
 * severity, what its findings rest on and its one-sentence description.
 */
public enum Rules implements CatalogueRule {
    HYPERCALL_UNKNOWN("kvm.hypercall-unknown", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "RAX holds no KVM hypercall number; answered -KVM_ENOSYS as KVM does"),
    HYPERCALL_NOT_ADVERTISED("kvm.hypercall-not-advertised", Severity.ERROR, Set.of(),
            "a hypercall the profile's CPUID 0x40000001 does not offer (MAP_GPA_RANGE without its feature bit); "
                    + "answered -KVM_ENOSYS"),
    ARGUMENT_INVALID("kvm.argument-invalid", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "a hypercall argument KVM refuses (clock type other than the wall clock, a clock-pairing address that "
                    + "is no writable guest memory, a misaligned or empty MAP_GPA_RANGE)"),
    FUNCTION_UNKNOWN("smccc.function-unknown", Severity.NOTE, Set.of(Dependency.INPUT_VALUES),
            "an SMCCC function ID the model does not implement (discovery code asks for such IDs on purpose); "
                    + "answered NOT_SUPPORTED (-1)"),
    RESERVED_BITS("smccc.reserved-bits", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "W0 sets function-ID bits 23:16, which SMCCC reserves; answered NOT_SUPPORTED (-1)"),
    IMMEDIATE("smccc.immediate", Severity.ERROR, Set.of(),
            "an HVC or SMC with a non-zero immediate: SMCCC calls use #0; answered NOT_SUPPORTED (-1)"),
    ARGUMENT_INVALID_SMCCC("smccc.argument-invalid", Severity.ERROR, Set.of(Dependency.INPUT_VALUES),
            "an SMCCC argument the service refuses (TRNG bit count 0 or above 96/192, PSCI affinity level above 3, "
                    + "CPU_ON of a CPU that does not exist, PTP counter other than virtual or physical)");

    private final RuleDescriptor descriptor;

    Rules(String id, Severity defaultSeverity, Set<Dependency> restsOn, String description) {
        this.descriptor = new RuleDescriptor(id, defaultSeverity, description, restsOn);
    }

    @Override
    public RuleDescriptor descriptor() {
        return descriptor;
    }

    /** Every rule as report metadata, sorted by id. */
    public static List<RuleDescriptor> descriptors() {
        return Arrays.stream(values()).sorted(Comparator.comparing(Rules::id)).map(Rules::descriptor).toList();
    }
}
