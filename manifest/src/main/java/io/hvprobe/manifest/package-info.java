/**
 * The samples manifest ({@code schema: hvprobe-samples/1}, docs/samples.md): {@link io.hvprobe.manifest.Manifest}
 * reads it, {@link io.hvprobe.manifest.Scenario}s are its expectations for one object, a
 * {@link io.hvprobe.manifest.ScenarioRunner} runs them and a {@link io.hvprobe.manifest.ScenarioResult} lists what
 * did not match.
 *
 * <p><b>Stability:</b> exported (module io.hvprobe.manifest) for hvprobe's own CLI and tests; it follows the
 * manifest's schema and may change in any release.
 */
package io.hvprobe.manifest;
