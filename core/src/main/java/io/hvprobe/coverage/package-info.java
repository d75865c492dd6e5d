/**
 * Which trap sites a check reached and how: module life cycle, entry points, or branches steered towards an
 * otherwise unreached site.
 *
 * <p><b>Stability:</b> {@link io.hvprobe.coverage.ObjectCoverage}, {@link io.hvprobe.coverage.SiteCoverage},
 * {@link io.hvprobe.coverage.SiteKind} and {@link io.hvprobe.coverage.Reach} are public API (part of the report
 * model), stable within a minor version; the recorder and steering types may change in any release.
 */
package io.hvprobe.coverage;
