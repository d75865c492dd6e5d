package io.hvprobe.vmware;

import io.hvprobe.spi.CommandDescriptor;
import io.hvprobe.spi.Hypervisor;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.spi.RuleDescriptor;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.finding.Rules;
import io.hvprobe.vmware.profile.ProfileBuilder;
import io.hvprobe.vmware.profile.ProfileLoader;

import java.util.List;

/**
 * The VMware backdoor model ({@code vmware}): I/O ports 0x5658/0x5659, VMCALL/VMMCALL, TDCALL, arm64
 * MRS/HVC/BRK, pseudo-PMCs, hypervisor CPUID leaves, GuestRPC, vmmouse and the balloon port.
 * Profiles: {@code vmware} (default) and {@code qemu-vmport}.
 */
public final class VmwareHypervisor implements Hypervisor {

    /** The plugin name. */
    public static final String NAME = "vmware";

    /** The plugin as {@link java.util.ServiceLoader} creates it; it holds no state, sessions hold everything. */
    public VmwareHypervisor() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "VMware backdoor (I/O port, vmcall/vmmcall, TDX, arm64), GuestRPC, vmmouse, balloon";
    }

    @Override
    public List<String> profiles() {
        return ProfileBuilder.builtInNames();
    }

    @Override
    public VmwareSession openSession(HypervisorOptions options) {
        return new VmwareSession(ProfileLoader.load(options));
    }

    @Override
    public List<CommandDescriptor> catalog(HypervisorOptions options) {
        return openSession(options).catalog();
    }

    /** The backdoor's LB and HB ports, the HB-out port old arm64 vmwgfx used, and the balloon port. */
    @Override
    public java.util.Set<Integer> hypercallPorts() {
        return java.util.Set.of(Backdoor.LB_PORT, Backdoor.HB_PORT, Backdoor.HB_OUT_QUIRK_PORT, Backdoor.BALLOON_PORT);
    }

    /** The backdoor magic and the balloon's: the port protocols check EAX against one of them. */
    @Override
    public java.util.Set<Long> hypercallMagics() {
        return java.util.Set.of(Backdoor.MAGIC, Backdoor.BALLOON_MAGIC);
    }

    @Override
    public List<RuleDescriptor> rules() {
        return Rules.descriptors();
    }
}
