/**
 * The hypervisor plugin SPI: a plugin implements {@link io.hvprobe.spi.Hypervisor} (found through
 * {@link java.util.ServiceLoader}), opens a {@link io.hvprobe.spi.HypervisorSession} per run and answers each
 * {@link io.hvprobe.spi.TrapEvent} with a {@link io.hvprobe.spi.TrapOutcome}; {@link io.hvprobe.spi.Finding} is what
 * models and the verifier report.
 *
 * <p><b>Stability:</b> SPI for plugin authors (exported by module io.hvprobe.spi), evolving until 1.0:
 * interfaces gain default methods and sealed types may gain records in a minor version.
 */
package io.hvprobe.spi;
