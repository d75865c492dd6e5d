package io.hvprobe.vmware;

import io.hvprobe.spi.HypervisorOptions;

import java.util.Map;
import java.util.Optional;

/** Opening sessions in tests, through the public plugin entry point. */
final class Sessions {
    private Sessions() {
    }

    static VmwareSession vmware() {
        return new VmwareHypervisor().openSession(HypervisorOptions.defaults());
    }

    static VmwareSession qemu() {
        return new VmwareHypervisor().openSession(HypervisorOptions.profile("qemu-vmport"));
    }

    static VmwareSession vmware(Map<String, String> settings) {
        return new VmwareHypervisor().openSession(new HypervisorOptions(Optional.empty(), Optional.empty(), settings));
    }
}
