package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.spi.Severity;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Balloon register widths (spec §2.3, §6) on code compiled at test time from {@code guests/balloon_width.c}:
 * START's capabilities are defined in all of RCX; a 32-bit target is not defined in bits 63:32 of RBX.
 */
class BalloonWidthTest {
    /** The functions return {@code unsigned long}: all 64 bits are the result. */
    private static final Verifier VERIFIER = new Verifier(VerifyOptions.defaults().withReturnBits(64));

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gcc -O2", "clang -O2", "gcc -O0"})
    void capabilitiesFromTheWholeRcxAreDefined(String compiler) throws Exception {
        try (Probe probe = Probe.open(Guests.compile(dir, "balloon_width.c", compiler), ProbeOptions.defaults())) {
            Verification v = VERIFIER.verify(probe, GuestCall.of("balloon_capabilities", 0x3E));
            assertThat(v.run().returnValue()).isEqualTo(0x3E);
            assertThat(v.findings()).filteredOn(f -> f.finding().severity() != Severity.NOTE).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gcc -O2", "clang -O2", "gcc -O0"})
    void aWholeRbxAfterA32BitTargetIsStillAnError(String compiler) throws Exception {
        try (Probe probe = Probe.open(Guests.compile(dir, "balloon_width.c", compiler), ProbeOptions.defaults())) {
            Verification v = VERIFIER.verify(probe, GuestCall.of("balloon_target_without_64bit_cap"));
            assertThat(v.findings()).anySatisfy(f -> {
                assertThat(f.finding().ruleId()).isEqualTo("hvprobe.undefined-consumed");
                assertThat(f.finding().severity()).isEqualTo(Severity.ERROR);
                assertThat(f.finding().evidence()).containsEntry("register", "rbx")
                        .containsEntry("poison", "upper-half");
            });
            assertThat(v.findings()).extracting(LocatedFinding::finding)
                    .noneSatisfy(f -> assertThat(f.evidence().get("register")).isEqualTo("rcx"));
        }
    }
}
