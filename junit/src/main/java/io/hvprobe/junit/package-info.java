/**
 * hvprobe in JUnit 5 tests: {@link io.hvprobe.junit.HvprobeTest} names the object (and its profiles and variants),
 * {@link io.hvprobe.junit.HvprobeExtension} opens and closes a probe per test and injects it, a run or a
 * verification; {@link io.hvprobe.junit.HvprobeMatrix} runs a test once per variant and profile;
 * {@link io.hvprobe.junit.HvprobeAssertions#assertThatRun} starts fluent assertions with one-paragraph failures.
 *
 * <p><b>Stability:</b> public API, evolving until 1.0: the annotations' attributes and the assertion methods are
 * added to, not changed, within a minor version.
 */
package io.hvprobe.junit;
