/**
 * The session API: {@link io.hvprobe.api.Probe} loads an object and runs its functions against a
 * hypervisor model; {@link io.hvprobe.api.RunResult} is one run; {@link io.hvprobe.api.ProbeOptions} configures it.
 *
 * <p><b>Stability:</b> public API, the entry point for library users; stable within a minor version (methods and
 * options are added, not changed).
 */
package io.hvprobe.api;
