package io.hvprobe.verify;

import io.hvprobe.guest.Fault;
import io.hvprobe.verify.DifferentialRuns.Observation;
import io.hvprobe.verify.DifferentialRuns.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How the differential runs compare and print outcomes: data, rendered only for the finding's evidence. */
class OutcomeTest {

    private static Observation observed(Outcome o) {
        return new Observation(o, List.of(), Map.of(), List.of(), List.of());
    }

    @Test
    void aReturnOfUnknownWidthPrintsItsUpperHalfOnlyWhenSet() {
        assertThat(new Outcome.Returned(0x1234, 0).text()).isEqualTo("return 1234");
        assertThat(new Outcome.Returned(0x1234, 0xdead).text()).isEqualTo("return dead00001234");
        assertThat(new Outcome.Faulted(Fault.Kind.UNMAPPED_ACCESS, "f+0x4").text())
                .isEqualTo("fault UNMAPPED_ACCESS at f+0x4");
    }

    @Test
    void onlyTheUpperHalfOfAReturnOfUnknownWidthIsUncertain() {
        Observation clean = observed(new Outcome.Returned(1, 0));
        Observation upper = observed(new Outcome.Returned(1, 0xdead));
        Observation lower = observed(new Outcome.Returned(2, 0));

        assertThat(upper).isNotEqualTo(clean);
        assertThat(upper.sameCertainly(clean)).isTrue();
        assertThat(lower.sameCertainly(clean)).isFalse();
        assertThat(observed(new Outcome.Faulted(Fault.Kind.BUG, "f")).sameCertainly(clean)).isFalse();
    }
}
