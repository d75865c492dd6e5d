/**
 * The firmware samples' manifest: what hvprobe must see for every function of the sample objects, resolved into
 * scenarios, run and compared. Read by the CLI's {@code check --manifest} and by the integration tests; its
 * vocabulary is the VMware model's, which is why it is not in core.
 */
module io.hvprobe.manifest {
    requires transitive io.hvprobe.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports io.hvprobe.manifest;
}
