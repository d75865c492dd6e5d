package io.hvprobe.tests.junit;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;

import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RDX;
import static io.hvprobe.junit.HvprobeAssertions.assertThatRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fluent assertions pass on what a sample does and fail with one readable paragraph on what it does not. */
class HvprobeAssertionsTest {
    private static final Path O2 = Path.of(System.getProperty("hvprobe.matrix.dir",
            "../firmware-samples/target/matrix")).resolve("x86_64/gcc/O2");
    private static Probe detect;
    private static Probe bugs;

    @BeforeAll
    static void open() throws Exception {
        detect = Probe.open(O2.resolve("detect-port.o"), ProbeOptions.defaults().withVariant("x86_64/gcc/O2"));
        bugs = Probe.open(O2.resolve("bugs-port.o"), ProbeOptions.defaults().withVariant("x86_64/gcc/O2"));
    }

    @AfterAll
    static void close() {
        detect.close();
        bugs.close();
    }

    private static Verification verify(Probe probe, GuestCall call) throws Exception {
        return new Verifier(VerifyOptions.defaults()).verify(probe, call);
    }

    /** A failure message is one paragraph in words, not a dump of records. */
    private static void assertReadable(Throwable t) {
        assertThat(t).isInstanceOf(AssertionFailedError.class);
        assertThat(t.getMessage()).doesNotContain("\n").doesNotContain("LocatedFinding[").doesNotContain("Finding[")
                .doesNotContain("HypercallRecord[");
    }

    @Test
    void whatTheDetectSampleDoesPasses() throws Exception {
        Verification v = verify(detect, GuestCall.of("hv_detect"));
        assertThatRun(v)
                .madeHypercall("GETVERSION").with(RCX, 10).with(RDX, 0x5658).via(TrapForm.IN)
                .answered(RBX, 0x564d5868)
                .returned(6)
                .madeHypercalls(2)
                .consumedNoUndefinedRegister()
                .hasNoFindingsAtOrAbove(Severity.WARNING)
                .hasNoFindings();
    }

    @Test
    void aWrongInputRegisterListsTheHypercallsOfThatCommand() throws Exception {
        RunResult r = detect.run(GuestCall.of("hv_detect"));
        Throwable t = catchFailure(() -> assertThatRun(r).madeHypercall("GETVERSION").via(TrapForm.IN).with(RCX, 11));
        assertReadable(t);
        assertThat(t).hasMessage("Expected hv_detect to make hypercall GETVERSION via IN with RCX = 0xb, but none of"
                + " its 1 GETVERSION hypercall(s) matches: #1 GETVERSION via IN at hv_detect+0x41 with RCX = 0xa.");
    }

    @Test
    void aCommandNotMadeListsTheCommandsThatWere() throws Exception {
        RunResult r = detect.run(GuestCall.of("hv_detect"));
        Throwable t = catchFailure(() -> assertThatRun(r).madeHypercall("GETTIME"));
        assertReadable(t);
        assertThat(t).hasMessage("Expected hv_detect to make hypercall GETTIME, but it made 2 hypercall(s), none"
                + " GETTIME: CPUID 0x40000000, GETVERSION.");
    }

    @Test
    void aWrongReturnValueSaysWhatTheRunDid() throws Exception {
        RunResult r = detect.run(GuestCall.of("hv_detect"));
        Throwable t = catchFailure(() -> assertThatRun(r).returned(7));
        assertReadable(t);
        assertThat(t).hasMessage("Expected hv_detect to return 0x7, but hv_detect returned 0x6 after 2 hypercalls"
                + " (CPUID 0x40000000, GETVERSION); no findings");
    }

    @Test
    void aSeededBugFailsWithTheFindingInWords() throws Exception {
        Verification v = verify(bugs, GuestCall.of("bug_balloon_assumes_esi_kept", 262144, 0x1000));
        Throwable t = catchFailure(() -> assertThatRun(v).consumedNoUndefinedRegister());
        assertReadable(t);
        assertThat(t.getMessage()).startsWith("Expected bug_balloon_assumes_esi_kept to consume no register the"
                        + " hypervisor leaves undefined, but it has ")
                .contains("bugs-port.o:bug_balloon_assumes_esi_kept+0x", "x86_64, x86_64/gcc/O2, profile vmware",
                        "error: ", "[hvprobe.undefined-consumed]");
        assertThatRun(v).hasFinding("hvprobe.undefined-consumed");
        assertReadable(catchFailure(() -> assertThatRun(v).hasNoFindingsAtOrAbove(Severity.ERROR)));
    }

    @Test
    void consumedRegistersNeedAVerifiedRun() throws Exception {
        RunResult r = detect.run(GuestCall.of("hv_detect"));
        assertThatThrownBy(() -> assertThatRun(r).consumedNoUndefinedRegister())
                .hasMessageStartingWith("consumedNoUndefinedRegister() needs a verified run");
    }

    private static Throwable catchFailure(Runnable assertion) {
        try {
            assertion.run();
        } catch (AssertionError e) {
            return e;
        }
        throw new AssertionError("the assertion passed but should have failed");
    }
}
