package io.hvprobe.cli;

import io.hvprobe.api.ProbeOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code --hv} and one {@code --profile}: which hypervisor model answers the hypercalls; with the kernel
 * environment's flags.
 */
final class ModelOptions {
    @Option(names = "--hv", paramLabel = "NAME", defaultValue = "vmware",
            description = "Hypervisor model (default: ${DEFAULT-VALUE}; see 'hvprobe commands').")
    String hv;

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "Model profile: a built-in name (e.g. vmware, qemu-vmport) or a JSON/YAML profile file.")
    String profile;

    @Mixin
    KernelFlags kernel;

    @Mixin
    HostStateFlags host;

    ProbeOptions probeOptions() {
        return ProbeOptions.defaults().withHypervisor(hv).withHypervisorOptions(host.applyTo(Models.options(profile)))
                .withKernel(kernel.kernelOptions());
    }
}
