package io.hvprobe.cli;

import io.hvprobe.spi.Hypervisor;
import picocli.CommandLine.Option;

/** {@code --hv}: which hypervisor model answers the hypercalls (every command that runs or lists a model). */
final class HypervisorOption {
    @Option(names = "--hv", paramLabel = "NAME", defaultValue = "vmware",
            description = "Hypervisor model (default: ${DEFAULT-VALUE}).")
    String name;

    /** The model; an input error when no plugin on the class path has that name. */
    Hypervisor model() {
        return Models.byName(name);
    }
}
