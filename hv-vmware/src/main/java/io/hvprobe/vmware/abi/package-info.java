/**
 * The VMware backdoor ABI's constants (magic numbers, ports, flags; spec §0). A leaf package: every other
 * package of the model may use it and it uses none of them, so the model's packages form no import cycle.
 *
 * <p><b>Stability:</b> exported (module io.hvprobe.vmware) so tests can name commands and ports; the constants
 * follow the ABI and are added to, not changed.
 */
package io.hvprobe.vmware.abi;
