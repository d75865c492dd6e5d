/**
 * The report model ({@link io.hvprobe.report.CheckReport}, {@link io.hvprobe.report.ReportedFinding}) and
 * its writers: text in gcc's diagnostic format, JSON, SARIF 2.1.0 and JUnit XML.
 *
 * <p><b>Stability:</b> public API (report model and writers), evolving until 1.0; the formats themselves are
 * versioned by their own schemas.
 */
package io.hvprobe.report;
