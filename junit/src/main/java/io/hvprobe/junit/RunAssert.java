package io.hvprobe.junit;

import io.hvprobe.api.RunResult;
import io.hvprobe.guest.CallResult;
import io.hvprobe.run.FindingText;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.Locale;

/**
 * Assertions on one run (or verified run) of a guest function; each returns {@code this} (or, for
 * {@link #madeHypercall}, assertions on the matching hypercalls that continue the chain), and a failure says in one
 * paragraph what was expected and what the run did. Start with {@link HvprobeAssertions#assertThatRun}.
 */
public class RunAssert {
    /** Rule id of the verifier's "a value the hypervisor leaves undefined reaches an observable result". */
    public static final String UNDEFINED_CONSUMED = "hvprobe.undefined-consumed";

    private final RunResult run;
    private final Verification verification;

    RunAssert(RunResult run, Verification verification) {
        this.run = run;
        this.verification = verification;
    }

    /** The same run, for the chain of a subclass. */
    RunAssert(RunAssert from) {
        this(from.run, from.verification);
    }

    /** The run under assertion. */
    RunResult run() {
        return run;
    }

    /**
     * The findings asserted on: the verification's when there is one (model and verifier), else the run's.
     *
     * @return the findings, sorted
     */
    public List<LocatedFinding> findings() {
        return verification != null ? verification.findings() : run.findings();
    }

    /**
     * That the function returned normally with {@code value} in its return register (all 64 bits).
     *
     * @param value the expected return value
     * @return this
     */
    public RunAssert returned(long value) {
        if (!(run.call() instanceof CallResult.Returned r) || r.value() != value) {
            throw failure("Expected " + run.function() + " to return " + hex(value) + ", but " + run, hex(value),
                    ended());
        }
        return this;
    }

    /**
     * That the function returned normally (did not fault, exhaust its budget or hit an unhandled trap).
     *
     * @return this
     */
    public RunAssert returnedNormally() {
        if (!run.returned()) {
            throw failure("Expected " + run.function() + " to return, but " + run, "returned", ended());
        }
        return this;
    }

    /**
     * That the run made at least one hypercall the model decoded as {@code command} (e.g. {@code GETVERSION}, or
     * the trap form such as {@code VMCALL} when no model answered); narrow it down with the returned assertions.
     *
     * @param command the command's name
     * @return assertions on the matching hypercalls, which continue the chain
     */
    public HypercallAssert madeHypercall(String command) {
        return new HypercallAssert(this, command);
    }

    /**
     * That the run made exactly {@code count} hypercalls.
     *
     * @param count the expected number
     * @return this
     */
    public RunAssert madeHypercalls(long count) {
        if (run.hypercallCount() != count) {
            throw failure("Expected " + run.function() + " to make " + count + " hypercall(s), but " + run,
                    Long.toString(count), Long.toString(run.hypercallCount()));
        }
        return this;
    }

    /**
     * That no finding is at or above {@code severity} (e.g. {@link Severity#WARNING}: warnings and errors fail,
     * notes pass).
     *
     * @param severity the least severity that fails
     * @return this
     */
    public RunAssert hasNoFindingsAtOrAbove(Severity severity) {
        List<LocatedFinding> bad = findings().stream()
                .filter(f -> f.finding().severity().compareTo(severity) >= 0).toList();
        if (!bad.isEmpty()) {
            throw failure("Expected " + run.function() + " to have no findings at or above "
                    + severity.name().toLowerCase(Locale.ROOT) + ", but it has " + FindingText.of(bad),
                    "no findings", FindingText.of(bad));
        }
        return this;
    }

    /**
     * That there is no finding at all (notes included).
     *
     * @return this
     */
    public RunAssert hasNoFindings() {
        return hasNoFindingsAtOrAbove(Severity.NOTE);
    }

    /**
     * That at least one finding has rule {@code ruleId} (e.g. a seeded bug the test pins down).
     *
     * @param ruleId the rule id, e.g. {@code vmware.magic-wrong}
     * @return this
     */
    public RunAssert hasFinding(String ruleId) {
        if (findings().stream().noneMatch(f -> f.finding().ruleId().equals(ruleId))) {
            throw failure("Expected " + run.function() + " to have a " + ruleId + " finding, but it has "
                    + FindingText.of(findings()), ruleId, FindingText.of(findings()));
        }
        return this;
    }

    /**
     * That no value the hypervisor leaves undefined reaches an observable result (no
     * {@value #UNDEFINED_CONSUMED} finding of any severity); needs a verified run.
     *
     * @return this
     */
    public RunAssert consumedNoUndefinedRegister() {
        if (verification == null) {
            throw new AssertionFailedError("consumedNoUndefinedRegister() needs a verified run: pass a Verification"
                    + " (Verifier.verify, or a Verification test parameter) to assertThatRun, not a RunResult");
        }
        List<LocatedFinding> bad = findings().stream()
                .filter(f -> f.finding().ruleId().equals(UNDEFINED_CONSUMED)).toList();
        if (!bad.isEmpty()) {
            throw failure("Expected " + run.function() + " to consume no register the hypervisor leaves undefined,"
                    + " but it has " + FindingText.of(bad), "no " + UNDEFINED_CONSUMED, FindingText.of(bad));
        }
        return this;
    }

    /** How the call ended, as compared values show it. */
    private String ended() {
        return switch (run.call()) {
            case CallResult.Returned r -> hex(r.value());
            case CallResult.Faulted f -> f.fault().describe();
        };
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A failure whose message is {@code message} as one paragraph (line breaks of embedded text joined). */
    static AssertionFailedError failure(String message, String expected, String actual) {
        return new AssertionFailedError(message.replace("\r", "").replace('\n', ' '), expected, actual);
    }
}
