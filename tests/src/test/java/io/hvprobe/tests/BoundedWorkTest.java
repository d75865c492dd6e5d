package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.run.LocatedFinding;
import io.hvprobe.verify.Verification;
import io.hvprobe.verify.Verifier;
import io.hvprobe.verify.VerifyOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every verified function has a work budget (instructions plus 1,000 per hypercall, summed over its first run and
 * all reruns): guests that make hundreds of thousands of hypercalls end with a {@code hvprobe.work-budget} note
 * instead of up to 48 full-length reruns. The cases of issue 12.
 */
class BoundedWorkTest {
    static final String FLOODS = """
            #include "hvp/rpc.h"
            /* Returns the version after 120,000 GETVERSION calls. */
            HVP_EXPORT int many_getversions(void)
            {
            	uint32_t ebx, ecx;
            	unsigned long v = 0;

            	for (int i = 0; i < 120000; i++)
            		v = hvp_hc3(HVP_CMD_GETVERSION, 0, &ebx, &ecx);
            	return (int)v;
            }

            /* 200,000 SENDPAYLOAD words on a fresh channel that never announced a size. */
            HVP_EXPORT int payload_flood(void)
            {
            	struct hvp_chan ch;
            	uint32_t ecx = 0;

            	if (hvp_rpc_open(&ch))
            		return -1;
            	for (int i = 0; i < 200000; i++)
            		hvp_hc5(HVP_MSG(HVP_MSG_SENDPAYLOAD), 0x41414141u, HVP_CHAN_DX(&ch), ch.cookie_hi,
            			ch.cookie_lo, &ecx);
            	return (int)HVP_ST(ecx);
            }

            /* 200,000 RECVPAYLOAD calls on a fresh channel with no reply pending. */
            HVP_EXPORT int receive_flood(void)
            {
            	struct hvp_chan ch;
            	uint32_t ecx = 0;

            	if (hvp_rpc_open(&ch))
            		return -1;
            	for (int i = 0; i < 200000; i++)
            		hvp_hc5(HVP_MSG(HVP_MSG_RECVPAYLOAD), HVP_ST_SUCCESS, HVP_CHAN_DX(&ch), ch.cookie_hi,
            			ch.cookie_lo, &ecx);
            	return (int)HVP_ST(ecx);
            }
            """;

    @TempDir
    Path dir;

    private static Verification verify(Probe probe, String function) throws Exception {
        return new Verifier(VerifyOptions.defaults()).verify(probe, GuestCall.of(function));
    }

    private static void assertBounded(Verification v, long hypercalls) {
        assertThat(v.run().hypercallCount()).isLessThanOrEqualTo(hypercalls);
        assertThat(v.findings()).anySatisfy(f -> {
            assertThat(f.finding().ruleId()).isEqualTo(VerifyOptions.WORK_BUDGET_RULE);
            assertThat(f.finding().message()).contains("work budget of 200000000 units");
        });
        assertThat(v.notes()).anySatisfy(n -> assertThat(n).startsWith("work budget of 200000000 units"));
        // The hypercall log keeps a bounded prefix; the findings collapse to one per site and kind.
        assertThat(v.run().hypercalls()).hasSizeLessThanOrEqualTo(100_000);
        assertThat(v.findings()).hasSizeLessThan(50);
    }

    /**
     * What each flood's verification at default settings must show. The x86_64 floods are verified once, in the
     * 512 MiB JVM of {@link #aFloodVerifiesInAHeapOf512MiB} ({@link FloodInSmallHeap} runs these checks there);
     * the arm64 build's 120,000 GETVERSION calls here.
     */
    static void assertFlood(String function, Verification v) {
        switch (function) {
            case "many_getversions" -> {
                assertThat(v.run().returnValue()).isEqualTo(6);
                assertBounded(v, 120_000);
                assertThat(v.findings()).noneSatisfy(f -> assertThat(f.finding().ruleId())
                        .isIn("hvprobe.undefined-consumed", "hvprobe.budget"));
            }
            // A flood of payloads without a size, or of receives without a reply: 200,001 hypercalls are worth
            // more than the budget, so the first run itself ends, with the note, not a fault.
            case "payload_flood", "receive_flood" -> {
                assertBounded(v, 200_000);
                assertThat(v.run().returned()).isFalse();
                assertThat(v.notes()).anySatisfy(n -> assertThat(n).contains("spent in the first run"));
                assertThat(v.findings()).noneSatisfy(f -> assertThat(f.finding().ruleId())
                        .isEqualTo("hvprobe.budget"));
            }
            default -> throw new IllegalArgumentException("not a flood of FLOODS: " + function);
        }
    }

    @Test
    void anArm64FunctionMaking120000HypercallsEndsWithAWorkBudgetNote() throws Exception {
        try (Probe probe = Probe.open(GuestBuild.ARM64_MRS.compile(dir, "floods", FLOODS), ProbeOptions.defaults())) {
            assertFlood("many_getversions", verify(probe, "many_getversions"));
        }
    }

    @ParameterizedTest
    @EnumSource(GuestBuild.class)
    void theBudgetCoversTheFirstRun(GuestBuild build) throws Exception {
        try (Probe probe = Probe.open(build.compile(dir, "floods", FLOODS), ProbeOptions.defaults())) {
            Verification v = new Verifier(VerifyOptions.defaults().withWorkBudget(5_000_000))
                    .verify(probe, GuestCall.of("many_getversions"));
            // 1,000 units per hypercall: the run ends before the trap that would pass 5 M units.
            assertThat(v.run().hypercallCount()).isBetween(4_000L, 5_000L);
            assertThat(v.run().returned()).isFalse();
            assertThat(v.findings()).extracting(f -> f.finding().ruleId()).containsOnlyOnce(
                    VerifyOptions.WORK_BUDGET_RULE).doesNotContain("hvprobe.budget");
            assertThat(v.notes()).anySatisfy(n -> assertThat(n).startsWith("work budget of 5000000 units")
                    .contains("spent in the first run"));
        }
    }

    /**
     * The three x86_64 floods verify in a JVM with a 512 MiB heap, and their verifications pass {@link #assertFlood}
     * there (a failed check, like an OutOfMemoryError, makes the JVM exit non-zero with the message).
     */
    @Test
    void aFloodVerifiesInAHeapOf512MiB() throws Exception {
        Path object = GuestBuild.X86_64_PORT.compile(dir, "floods", FLOODS);
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), FloodInSmallHeap.class.getName(), object.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("payload_flood: work budget of 200000000 units", "receive_flood: work budget of",
                "many_getversions: work budget of");
    }

    @Test
    void theBudgetIsSettableAndZeroMeansUnlimited() throws Exception {
        try (Probe probe = Probe.open(GuestBuild.X86_64_PORT.compile(dir, "floods", FLOODS), ProbeOptions.defaults())) {
            Verifier small = new Verifier(VerifyOptions.defaults().withWorkBudget(1_000));
            Verification v = small.verify(probe, GuestCall.of("many_getversions"));
            assertThat(v.findings()).extracting(LocatedFinding::finding).anySatisfy(f -> assertThat(f.message())
                    .contains("work budget of 1000 units"));
            assertThat(VerifyOptions.defaults().withWorkBudget(0).workBudget()).isZero();
        }
    }
}
