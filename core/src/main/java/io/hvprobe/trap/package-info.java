/**
 * Trap sites: finding and decoding the instructions hvprobe intercepts as hypercalls.
 *
 * <p>{@link io.hvprobe.trap.TrapDecoder} says, from raw bytes, whether an instruction traps and how;
 * {@link io.hvprobe.trap.TrapSiteScanner} sweeps a code range for every site;
 * {@link io.hvprobe.trap.TrapDetails} turns a site plus the registers at the trap into the
 * {@link io.hvprobe.spi.TrapDetail} a hypervisor model receives.
 *
 * <p><b>Stability:</b> {@link io.hvprobe.trap.TrapSite}, {@link io.hvprobe.trap.TrapEncoding} and
 * {@link io.hvprobe.trap.CpuModel} are public API (what {@code Probe} and
 * {@code ProbeOptions} expose), stable within a minor version; the decoder, scanner and
 * interceptor may change in any release.
 */
package io.hvprobe.trap;
