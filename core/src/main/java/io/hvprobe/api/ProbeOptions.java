package io.hvprobe.api;

import io.hvprobe.guest.MachineOptions;
import io.hvprobe.kernel.KernelOptions;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.spi.HypervisorOptions;
import io.hvprobe.trap.CpuModel;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything that configures a {@link Probe}.
 *
 * @param hypervisor the hypervisor plugin's name (default {@code vmware})
 * @param hvOptions  the plugin's profile and settings
 * @param machine    emulator limits and memory
 * @param load       loader options
 * @param cpu        answers for CPUID leaves no plugin claims
 * @param variant    a label for the build variant, carried into findings (e.g. {@code gcc/O2}); may be empty
 * @param kernel     the kernel environment around the code (stub table, heap, unclaimed device ports)
 * @param companions the profile and settings of companion models (the plugins other than {@code hypervisor}, which
 *                   answer the traps they claim), by plugin name; a companion not named runs its default profile
 */
public record ProbeOptions(String hypervisor, HypervisorOptions hvOptions, MachineOptions machine, LoadOptions load,
                           CpuModel cpu, String variant, KernelOptions kernel,
                           Map<String, HypervisorOptions> companions) {

    /**
     * Copies {@code companions} in name order.
     *
     * @param hypervisor the hypervisor plugin's name
     * @param hvOptions  the plugin's profile and settings
     * @param machine    emulator limits and memory
     * @param load       loader options
     * @param cpu        answers for CPUID leaves no plugin claims
     * @param variant    the build variant label; may be empty
     * @param kernel     the kernel environment around the code
     * @param companions companion models' profiles and settings by plugin name (copied)
     */
    public ProbeOptions {
        companions = Collections.unmodifiableMap(new TreeMap<>(companions));
    }

    /**
     * Companions with their default profiles.
     *
     * @param hypervisor the hypervisor plugin's name
     * @param hvOptions  the plugin's profile and settings
     * @param machine    emulator limits and memory
     * @param load       loader options
     * @param cpu        answers for CPUID leaves no plugin claims
     * @param variant    the build variant label; may be empty
     * @param kernel     the kernel environment around the code
     */
    public ProbeOptions(String hypervisor, HypervisorOptions hvOptions, MachineOptions machine, LoadOptions load,
                        CpuModel cpu, String variant, KernelOptions kernel) {
        this(hypervisor, hvOptions, machine, load, cpu, variant, kernel, Map.of());
    }

    /**
     * Without kernel options: the default kernel environment.
     *
     * @param hypervisor the hypervisor plugin's name
     * @param hvOptions  the plugin's profile and settings
     * @param machine    emulator limits and memory
     * @param load       loader options
     * @param cpu        answers for CPUID leaves no plugin claims
     * @param variant    the build variant label; may be empty
     */
    public ProbeOptions(String hypervisor, HypervisorOptions hvOptions, MachineOptions machine, LoadOptions load,
                        CpuModel cpu, String variant) {
        this(hypervisor, hvOptions, machine, load, cpu, variant, KernelOptions.defaults());
    }

    /**
     * The VMware model with its default profile, default limits.
     *
     * @return the defaults
     */
    public static ProbeOptions defaults() {
        return new ProbeOptions("vmware", HypervisorOptions.defaults(), MachineOptions.defaults(),
                LoadOptions.defaults(), CpuModel.defaults(), "", KernelOptions.defaults());
    }

    /**
     * With another hypervisor plugin.
     *
     * @param name a plugin's name, e.g. {@code vmware} or {@code kvm}; checked when a probe opens
     * @return a copy with that plugin
     */
    public ProbeOptions withHypervisor(String name) {
        return new ProbeOptions(name, hvOptions, machine, load, cpu, variant, kernel, companions);
    }

    /**
     * With another profile/settings for the plugin.
     *
     * @param o the plugin's profile and settings
     * @return a copy with them
     */
    public ProbeOptions withHypervisorOptions(HypervisorOptions o) {
        return new ProbeOptions(hypervisor, o, machine, load, cpu, variant, kernel, companions);
    }

    /**
     * With other machine options.
     *
     * @param m emulator limits and memory
     * @return a copy with them
     */
    public ProbeOptions withMachine(MachineOptions m) {
        return new ProbeOptions(hypervisor, hvOptions, m, load, cpu, variant, kernel, companions);
    }

    /**
     * With other load options.
     *
     * @param l loader options
     * @return a copy with them
     */
    public ProbeOptions withLoad(LoadOptions l) {
        return new ProbeOptions(hypervisor, hvOptions, machine, l, cpu, variant, kernel, companions);
    }

    /**
     * With a variant label.
     *
     * @param v the label, e.g. {@code gcc/O2}; may be empty
     * @return a copy with it
     */
    public ProbeOptions withVariant(String v) {
        return new ProbeOptions(hypervisor, hvOptions, machine, load, cpu, v, kernel, companions);
    }

    /**
     * With other kernel-environment options.
     *
     * @param k the kernel-environment options
     * @return a copy with them
     */
    public ProbeOptions withKernel(KernelOptions k) {
        return new ProbeOptions(hypervisor, hvOptions, machine, load, cpu, variant, k, companions);
    }

    /**
     * With {@code options} (a profile, a profile file, settings) for the companion plugin {@code model} instead of
     * its default profile.
     *
     * @param model   a companion plugin's name, e.g. {@code vmware} under {@code --hv kvm}
     * @param options its profile and settings
     * @return a copy with them
     */
    public ProbeOptions withCompanion(String model, HypervisorOptions options) {
        Map<String, HypervisorOptions> all = new TreeMap<>(companions);
        all.put(model, options);
        return new ProbeOptions(hypervisor, hvOptions, machine, load, cpu, variant, kernel, all);
    }

    /**
     * The profile name findings carry: the explicit profile, the file's name, or the default of the plugin whose
     * profiles are {@code pluginProfiles} (what {@link Probe#profile()} says, for callers that open no probe).
     *
     * @param pluginProfiles the plugin's profile names, its default first
     * @return the label; the plugin's name when no profile is named and {@code pluginProfiles} is empty
     */
    public String profileLabel(java.util.List<String> pluginProfiles) {
        if (hvOptions.profile().isPresent()) {
            return hvOptions.profile().get();
        }
        if (hvOptions.profileFile().isPresent()) {
            return String.valueOf(hvOptions.profileFile().get().getFileName());
        }
        return pluginProfiles.isEmpty() ? hypervisor : pluginProfiles.getFirst();
    }
}
