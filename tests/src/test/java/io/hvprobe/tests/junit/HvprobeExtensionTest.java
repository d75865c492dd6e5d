package io.hvprobe.tests.junit;

import io.hvprobe.api.Probe;
import io.hvprobe.api.RunResult;
import io.hvprobe.junit.Call;
import io.hvprobe.junit.HvprobeTest;
import io.hvprobe.junit.ProbeTarget;
import io.hvprobe.spi.Severity;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.verify.Verification;
import org.junit.jupiter.api.Test;

import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.junit.HvprobeAssertions.assertThatRun;
import static org.assertj.core.api.Assertions.assertThat;

/** A user's test class: the extension opens the sample, runs or verifies the method's call and injects it. */
@HvprobeTest(object = "../firmware-samples/target/matrix/x86_64/gcc/O2/detect-port.o", profile = "vmware")
class HvprobeExtensionTest {

    @Test
    void injectsAnOpenProbe(Probe probe, ProbeTarget target) {
        assertThat(probe.profile()).isEqualTo("vmware");
        assertThat(probe.trapFunctions()).extracting(f -> f.name()).contains("hv_detect");
        assertThat(target.label()).isEqualTo("vmware");
    }

    @Test
    @Call("hv_detect")
    void injectsAVerificationOfTheCall(Verification v) {
        assertThatRun(v).madeHypercall("GETVERSION").with(RCX, 10).via(TrapForm.IN).returned(6)
                .consumedNoUndefinedRegister().hasNoFindingsAtOrAbove(Severity.WARNING);
    }

    @Test
    @Call("hv_detect")
    void theRunAndTheProbeOfOneTestBelongTogether(RunResult run, Probe probe) {
        assertThat(run.findings()).allSatisfy(f -> assertThat(f.site().profile()).isEqualTo(probe.profile()));
        assertThatRun(run).returned(6);
    }

    @Test
    @Call(value = "rpc_call", args = {"str:info-get", "buf:64", "64"})
    @HvprobeTest(object = "../firmware-samples/target/matrix/x86_64/gcc/O2/rpc-port.o")
    void aMethodNamesItsOwnObjectAndArgumentsInTheCommandLinesForms(RunResult run) {
        assertThatRun(run).returnedNormally().madeHypercall("MESSAGE.OPEN");
    }
}
