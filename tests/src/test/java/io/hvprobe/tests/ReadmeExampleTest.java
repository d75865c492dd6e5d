package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.junit.Call;
import io.hvprobe.junit.HvprobeTest;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.junit.HvprobeAssertions.assertThatRun;
import static io.hvprobe.spi.Severity.WARNING;
import static io.hvprobe.spi.TrapForm.IN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library examples of README.md ("As a library in your own JUnit 5 tests") and of {@link Probe}'s Javadoc,
 * verbatim except for the object path: if one of these fails, the documentation is wrong.
 */
class ReadmeExampleTest {
    private static final Path VMW_O = Samples.matrix().resolve("x86_64/gcc/O2/detect-port.o");

    /** The README's extension example; its object is the README's {@code build/detect-port.o}. */
    @Nested
    @HvprobeTest(object = "../firmware-samples/target/matrix/x86_64/gcc/O2/detect-port.o", profile = "vmware")
    class DetectTest {
        @Test
        @Call("hv_detect")
        void detectsTheHypervisor(Verification v) {
            assertThatRun(v).madeHypercall("GETVERSION").with(RCX, 10).via(IN).returned(6)
                    .consumedNoUndefinedRegister().hasNoFindingsAtOrAbove(WARNING);
        }
    }

    @Test
    void theReadmeExtensionExampleIsTheNestedDetectTest() throws IOException {
        Path root = Path.of(System.getProperty("hvprobe.samples.dir", "../firmware-samples")).getParent();
        String readme = Files.readString(root.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## As a library in your own JUnit 5 tests"));
        String example = section.substring(section.indexOf("```java\n") + 8, section.indexOf("```\n",
                section.indexOf("```java\n") + 8));
        String source = Files.readString(root.resolve("tests/src/test/java/io/hvprobe/tests/ReadmeExampleTest.java"))
                .replace("../firmware-samples/target/matrix/x86_64/gcc/O2/detect-port.o", "build/detect-port.o");
        List<String> sourceLines = Arrays.stream(source.split("\n")).map(String::strip).toList();
        assertThat(example.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()).isNotEmpty()
                .allSatisfy(line -> assertThat(sourceLines).as("README line in the nested DetectTest").contains(line));
    }

    @Test
    void theReadmeExampleCompilesAndHolds() throws Exception {
        try (Probe probe = Probe.open(VMW_O, ProbeOptions.defaults())) {
            Verification v = new Verifier(VerifyOptions.defaults()).verify(probe, GuestCall.of("hv_detect"));
            assertEquals(6, v.run().returnValue());
            assertEquals("GETVERSION", v.run().hypercalls().getLast().command());
            assertTrue(v.findings().isEmpty(), () -> v.findings().toString());
        }
    }

    @Test
    void theProbeJavadocExampleHolds() throws Exception {
        try (Probe probe = Probe.open(VMW_O, ProbeOptions.defaults())) {
            RunResult r = probe.run(GuestCall.of("hv_detect"));
            assertEquals(6, r.returnValue());
            assertEquals("GETVERSION", r.hypercalls().get(1).command());
            assertTrue(r.findings().isEmpty());
        }
    }

    @Test
    void theReadmeReturnWidthExampleHolds() throws Exception {
        // README: a seeded bug in a function returning long, with its return width given.
        Path bugs = Samples.matrix().resolve("x86_64/gcc/O2/bugs-port.o");
        try (Probe probe = Probe.open(bugs, ProbeOptions.defaults())) {
            Verifier verifier = new Verifier(VerifyOptions.defaults().withReturnBits(64));
            Verification v = verifier.verify(probe, GuestCall.of("bug_balloon_assumes_esi_kept", 262144, 0x1000));
            assertTrue(v.findings().stream().anyMatch(f -> f.finding().ruleId().equals("hvprobe.undefined-consumed")
                    && f.finding().severity() == Severity.ERROR), () -> v.findings().toString());
        }
    }
}
