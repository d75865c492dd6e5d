/**
 * The VMware backdoor ABI's constants (magic numbers, ports, flags; spec §0). A leaf package: every other
 * package of the model may use it and it uses none of them, so the model's packages form no import cycle.
 */
package io.hvprobe.vmware.abi;
