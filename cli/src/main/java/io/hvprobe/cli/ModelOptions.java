package io.hvprobe.cli;

import io.hvprobe.api.ProbeOptions;
import picocli.CommandLine.Option;

/** {@code --hv} and one {@code --profile}: which hypervisor model answers the hypercalls. */
final class ModelOptions {
    @Option(names = "--hv", paramLabel = "NAME", defaultValue = "vmware",
            description = "Hypervisor model (default: ${DEFAULT-VALUE}; see 'hvprobe commands').")
    String hv;

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "Model profile: a built-in name (e.g. vmware, qemu-vmport) or a JSON/YAML profile file.")
    String profile;

    ProbeOptions probeOptions() {
        return ProbeOptions.defaults().withHypervisor(hv).withHypervisorOptions(Models.options(profile));
    }
}
