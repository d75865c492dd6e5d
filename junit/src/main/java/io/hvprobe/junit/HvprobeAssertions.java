package io.hvprobe.junit;

import io.hvprobe.api.RunResult;
import io.hvprobe.verify.Verification;

/**
 * Entry points of the fluent assertions on runs, in the style of AssertJ: start a chain with
 * {@code assertThatRun(...)} (static import), each failure is an {@link org.opentest4j.AssertionFailedError} whose
 * message is one readable paragraph.
 *
 * <pre>{@code
 * assertThatRun(verification)
 *         .madeHypercall("GETVERSION").with(X86Register.RBX, 0).via(TrapForm.IN)
 *         .returned(6)
 *         .consumedNoUndefinedRegister()
 *         .hasNoFindingsAtOrAbove(Severity.WARNING);
 * }</pre>
 */
public final class HvprobeAssertions {
    private HvprobeAssertions() {
    }

    /**
     * Assertions on a plain run: what it returned, its hypercalls, the model's findings.
     *
     * @param run the run
     * @return the assertions
     */
    public static RunAssert assertThatRun(RunResult run) {
        return new RunAssert(run, null);
    }

    /**
     * Assertions on a verified run: as for a run, with the verifier's findings (undefined registers consumed,
     * clobbers, callee-saved registers ...) in place of the run's own.
     *
     * @param verification the verification
     * @return the assertions
     */
    public static RunAssert assertThatRun(Verification verification) {
        return new RunAssert(verification.run(), verification);
    }
}
