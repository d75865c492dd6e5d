package io.hvprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTML run page words a call's end as the text output does. */
class HtmlViewsTest {

    private static final RegisterSnapshot REGS = RegisterSnapshot.of(Arch.ARM64,
            new long[Arch.ARM64.registers().size()]);

    private static CallResult faulted(Fault.Kind kind) {
        Fault f = new Fault(kind, 0x40, "psci_cpu_off_and_park+0x8", "hvc #0", 0, "the call does not return", REGS);
        return new CallResult.Faulted(f, REGS, List.of(), List.of());
    }

    @Test
    void aCallThatDoesNotReturnEndsTheRunItIsNoFault() {
        assertThat(HtmlViews.result(faulted(Fault.Kind.NO_RETURN)))
                .startsWith("ended: no return at psci_cpu_off_and_park+0x8");
    }

    @Test
    void aRealFaultStaysAFault() {
        assertThat(HtmlViews.result(faulted(Fault.Kind.UNMAPPED_ACCESS))).startsWith("fault: ");
    }
}
