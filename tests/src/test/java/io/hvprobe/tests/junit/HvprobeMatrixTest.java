package io.hvprobe.tests.junit;

import io.hvprobe.junit.Call;
import io.hvprobe.junit.HvprobeMatrix;
import io.hvprobe.junit.HvprobeTest;
import io.hvprobe.junit.ProbeTarget;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInfo;

import java.util.ArrayList;
import java.util.List;

import static io.hvprobe.junit.HvprobeAssertions.assertThatRun;
import static org.assertj.core.api.Assertions.assertThat;

/** One test method run for each build variant and profile, each with its own probe. */
@HvprobeTest(object = "../firmware-samples/target/matrix/{variant}/detect-port.o",
        variant = {"x86_64/gcc/O2", "x86_64/clang/O0", "x86_64/gcc/Os"}, profile = {"vmware", "qemu-vmport"})
class HvprobeMatrixTest {
    private static final List<String> RAN = new ArrayList<>();

    @HvprobeMatrix
    @Call("hv_detect")
    void detectsUnderEveryVariantAndProfile(Verification v, ProbeTarget target, TestInfo info) {
        assertThatRun(v).madeHypercall("GETVERSION").returnedNormally().hasNoFindingsAtOrAbove(Severity.ERROR);
        assertThat(v.run().findings()).allSatisfy(f -> assertThat(f.site().variant()).isEqualTo(target.variant()));
        RAN.add(info.getDisplayName());
    }

    @AfterAll
    static void ranOncePerVariantAndProfile() {
        assertThat(RAN).containsExactly("[x86_64/gcc/O2 · vmware]", "[x86_64/gcc/O2 · qemu-vmport]",
                "[x86_64/clang/O0 · vmware]", "[x86_64/clang/O0 · qemu-vmport]", "[x86_64/gcc/Os · vmware]",
                "[x86_64/gcc/Os · qemu-vmport]");
    }
}
