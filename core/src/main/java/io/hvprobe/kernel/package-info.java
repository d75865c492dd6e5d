/**
 * The kernel and C-library environment around guest code: a data table of kernel functions with Java behaviours
 * (bounded heap, strings, printf, logging, a deterministic clock, user copies) installed as stub handlers, and
 * the alternatives table of kernel modules.
 *
 * <p><b>Stability:</b> {@link io.hvprobe.kernel.KernelOptions} is public API (part of
 * {@code ProbeOptions}), stable within a minor version; the environment, its table and behaviours
 * serve tools built on hvprobe and may change in any release.
 */
package io.hvprobe.kernel;
