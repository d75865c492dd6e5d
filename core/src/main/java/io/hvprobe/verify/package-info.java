/**
 * Register-semantics verification of one call: {@link io.hvprobe.verify.Verifier} with
 * {@link io.hvprobe.verify.VerifyOptions} gives a {@link io.hvprobe.verify.Verification}; the rule classes behind it
 * are internals.
 *
 * <p><b>Stability:</b> Verifier, VerifyOptions, Verification, Grounds and Cost are public API, stable within a minor
 * version; the rule and path classes may change in any release.
 */
package io.hvprobe.verify;
