package io.hvprobe.kvm;

import io.hvprobe.kvm.finding.Rules;
import io.hvprobe.kvm.profile.Profiles;
import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.RuleDescriptor;

import java.util.List;

/**
 * The KVM model ({@code kvm}): x86_64 KVM hypercalls over {@code vmcall}/{@code vmmcall} with KVM's CPUID leaves,
 * and on arm64 the SMC Calling Convention services KVM offers over {@code hvc #0}/{@code smc #0} (PSCI, TRNG, Arm
 * architecture calls, KVM's vendor hypervisor service). Profiles: {@code kvm} (default), {@code smccc-1.0},
 * {@code smccc-1.1}, {@code smccc-1.2}.
 */
public final class KvmHypervisor implements Hypervisor {

    /** The plugin name. */
    public static final String NAME = "kvm";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "KVM hypercalls (vmcall/vmmcall, CPUID 0x40000000) and Arm SMCCC over hvc/smc (PSCI, TRNG, KVM PTP)";
    }

    @Override
    public List<String> profiles() {
        return Profiles.names();
    }

    @Override
    public KvmSession openSession(HypervisorOptions options) {
        return new KvmSession(Profiles.load(options));
    }

    @Override
    public List<CommandDescriptor> catalog(HypervisorOptions options) {
        return Catalog.of(Profiles.load(options));
    }

    @Override
    public List<RuleDescriptor> rules() {
        return Rules.descriptors();
    }
}
