/**
 * The VMware backdoor as an hvprobe hypervisor plugin: provides {@link io.hvprobe.spi.Hypervisor} as
 * {@code vmware}. Exports the plugin class and the backdoor ABI constants; the command models, GuestRPC, profiles
 * and findings are internal.
 */
module io.hvprobe.vmware {
    requires transitive io.hvprobe.spi;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports io.hvprobe.vmware;
    exports io.hvprobe.vmware.abi;

    provides io.hvprobe.spi.Hypervisor with io.hvprobe.vmware.VmwareHypervisor;
}
