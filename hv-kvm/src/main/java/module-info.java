/**
 * The KVM model as an hvprobe hypervisor plugin: provides {@link io.hvprobe.spi.Hypervisor} as {@code kvm}.
 * Exports the plugin class and the ABI numbers; the call handlers, SMCCC services, profiles, state and findings
 * are internal.
 */
module io.hvprobe.kvm {
    requires transitive io.hvprobe.spi;

    exports io.hvprobe.kvm;
    exports io.hvprobe.kvm.abi;

    provides io.hvprobe.spi.Hypervisor with io.hvprobe.kvm.KvmHypervisor;
}
