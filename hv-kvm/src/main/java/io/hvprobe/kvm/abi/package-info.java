/**
 * The ABI numbers of KVM's x86 hypercalls and of the Arm SMC Calling Convention services the model answers: a leaf
 * package with no dependencies, the one place for each number (docs/kvm-model.md names the sources).
 */
package io.hvprobe.kvm.abi;
