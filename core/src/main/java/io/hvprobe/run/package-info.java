/**
 * What a run produced: the hypercall log ({@link io.hvprobe.run.HypercallRecord}), findings with their
 * sites ({@link io.hvprobe.run.LocatedFinding}, {@link io.hvprobe.run.FindingSite}) and their readable text
 * ({@link io.hvprobe.run.FindingText}), and the engine's own rules ({@link io.hvprobe.run.CoreRule}).
 *
 * <p><b>Stability:</b> public API (results), stable within a minor version: record components are added, not
 * removed.
 */
package io.hvprobe.run;
