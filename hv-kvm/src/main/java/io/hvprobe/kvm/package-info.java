/**
 * The KVM model as a hypervisor plugin ({@link io.hvprobe.kvm.KvmHypervisor}, named {@code kvm}); users reach it
 * by name through {@code ProbeOptions}, not directly.
 *
 * <p><b>Stability:</b> exported (module io.hvprobe.kvm) for the plugin class; its other public types serve the
 * model's own packages and may change in any release.
 */
package io.hvprobe.kvm;
