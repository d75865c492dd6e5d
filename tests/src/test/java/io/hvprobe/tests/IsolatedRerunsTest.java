package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guest code with ordinary global state: every run of the verifier (baseline, poison and bisection reruns) starts
 * from the same machine state, so a static counter is 1 in each of them and no difference is blamed on a register.
 */
class IsolatedRerunsTest {
    /** Counts its calls in a static, makes GETVERSION, reports the count through SETPTRLOCATION and returns it. */
    static final String COUNTER = """
            #include "hvp/vmw.h"
            static int calls;
            HVP_EXPORT int count_calls(void)
            {
            	uint32_t ebx, ecx;

            	calls++;
            	hvp_hc3(HVP_CMD_GETVERSION, 0, &ebx, &ecx);
            	hvp_hc1(5u /* SETPTRLOCATION */, (unsigned long)calls);
            	return calls;
            }
            """;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(GuestBuild.class)
    void aStaticCounterIsOneInEveryRerunAndNothingIsBlamed(GuestBuild build) throws Exception {
        Path object = build.compile(dir, "counter", COUNTER);
        try (Probe probe = Probe.open(object, ProbeOptions.defaults())) {
            Verification v = new Verifier(VerifyOptions.defaults()).verify(probe, GuestCall.of("count_calls"));
            assertThat(v.run().returnValue()).isEqualTo(1);
            assertThat(v.findings()).isEmpty();
            assertThat(v.run().hypercalls()).extracting(h -> h.command()).containsExactly("GETVERSION",
                    "SETPTRLOCATION");
        }
    }

    @ParameterizedTest
    @EnumSource(GuestBuild.class)
    void plainRunsStartFromTheLoadedStateAndContinuingRunsShareIt(GuestBuild build) throws Exception {
        Path object = build.compile(dir, "counter", COUNTER);
        try (Probe probe = Probe.open(object, ProbeOptions.defaults())) {
            assertThat(probe.run(GuestCall.of("count_calls")).returnValue()).isEqualTo(1);
            assertThat(probe.run(GuestCall.of("count_calls")).returnValue()).isEqualTo(1);
            assertThat(probe.runContinuing(GuestCall.of("count_calls")).returnValue()).isEqualTo(2);
            assertThat(probe.runContinuing(GuestCall.of("count_calls")).returnValue()).isEqualTo(3);
            assertThat(probe.run(GuestCall.of("count_calls")).returnValue()).isEqualTo(1);
        }
    }
}
