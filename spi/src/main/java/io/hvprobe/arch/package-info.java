/**
 * Guest architectures and their registers ({@link io.hvprobe.arch.X86Register},
 * {@link io.hvprobe.arch.Arm64Register}) and immutable register snapshots: the vocabulary of plugins, runs and assertions alike.
 *
 * <p><b>Stability:</b> public API (exported by module io.hvprobe.spi). Stable within a minor version: constants and
 * methods are added, not removed or renamed.
 */
package io.hvprobe.arch;
