/**
 * The guest machine: calls ({@link io.hvprobe.guest.GuestCall}, {@link io.hvprobe.guest.Argument} and
 * its text forms in {@link io.hvprobe.guest.ArgumentSyntax}), how they end ({@link io.hvprobe.guest.CallResult},
 * {@link io.hvprobe.guest.Fault}), and the emulated machine itself.
 *
 * <p><b>Stability:</b> GuestCall, Argument, ArgumentSyntax, CallResult, Fault and KernelEvent are public API,
 * stable within a minor version; GuestMachine, Instrumentation and the snapshot and stub types serve tools built on
 * hvprobe and may change in any release.
 */
package io.hvprobe.guest;
