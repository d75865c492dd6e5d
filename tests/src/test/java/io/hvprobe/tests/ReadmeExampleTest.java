package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library examples of README.md ("As a library in your own JUnit 5 tests") and of {@link Probe}'s Javadoc,
 * verbatim except for the object path: if one of these fails, the documentation is wrong.
 */
class ReadmeExampleTest {
    private static final Path VMW_O = Samples.matrix().resolve("x86_64/gcc/O2/detect-port.o");

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
