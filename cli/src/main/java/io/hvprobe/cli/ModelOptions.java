package io.hvprobe.cli;

import io.hvprobe.api.ProbeOptions;
import io.hvprobe.spi.HypervisorOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --hv} and one {@code --profile}: the hypervisor model and the profile it runs with. */
final class ModelOptions {
    @Mixin
    HypervisorOption hv;

    @Option(names = "--profile", paramLabel = "NAME|FILE",
            description = "Model profile: a built-in name (e.g. vmware, qemu-vmport) or a JSON/YAML profile file.")
    String profile;

    /** The profile's options (the model's default profile without {@code --profile}). */
    HypervisorOptions options() {
        return Models.options(profile);
    }

    /** Host state given on the command line (guestinfo, vmmouse packets, balloon target). */
    @Mixin
    HostStateFlags host;

    /** The probe options selecting this model and profile, with the command line's host state. */
    ProbeOptions probeOptions() {
        return ProbeOptions.defaults().withHypervisor(hv.name).withHypervisorOptions(host.applyTo(options()));
    }
}
