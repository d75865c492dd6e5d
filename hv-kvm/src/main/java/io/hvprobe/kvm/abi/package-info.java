/**
 * The ABI numbers of KVM's x86 hypercalls and of the Arm SMC Calling Convention services the model answers: a leaf
 * package with no dependencies, the one place for each number (docs/kvm-model.md names the sources).
 *
 * <p><b>Stability:</b> exported (module io.hvprobe.kvm) so tests can name function ids and hypercall numbers; the
 * numbers follow the ABIs and are added to, not changed.
 */
package io.hvprobe.kvm.abi;
