package io.hvprobe.tests;

import io.hvprobe.api.Probe;
import io.hvprobe.api.ProbeOptions;
import io.hvprobe.api.RunResult;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.GuestCall;
import io.hvprobe.spi.HypervisorOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A companion model (one other than the run's primary model, answering the calls that carry its signature) runs the
 * profile {@link ProbeOptions#withCompanion} gives it: in a KVM run, the VMware backdoor call STEALCLOCK is answered
 * as VMware answers it, or as QEMU's vmport (which lacks it) does.
 */
class CompanionProfilesTest {
    private static final Path CLOCK = Samples.matrix().resolve("x86_64/gcc/O2/clock-port.o");
    private static final ProbeOptions KVM = ProbeOptions.defaults().withHypervisor("kvm");

    private static RunResult stealClockEnable(ProbeOptions options) throws Exception {
        try (Probe probe = Probe.open(CLOCK, options)) {
            return probe.run(new GuestCall("hv_steal_clock_enable", List.of(Argument.Buffer.zeroed(64))));
        }
    }

    @Test
    void theVmwareCompanionRunsItsDefaultProfileUnlessOneIsGiven() throws Exception {
        RunResult byDefault = stealClockEnable(KVM);
        assertThat(byDefault.hypercalls().getFirst().command()).isEqualTo("STEALCLOCK");
        assertThat(byDefault.returnValue()).isEqualTo(1);

        RunResult qemu = stealClockEnable(KVM.withCompanion("vmware", HypervisorOptions.profile("qemu-vmport")));
        assertThat(qemu.hypercalls().getFirst().command()).isEqualTo("STEALCLOCK");
        assertThat((int) qemu.returnValue()).as("qemu-vmport does not implement STEALCLOCK").isEqualTo(-1);
        assertThat(qemu.findings()).extracting(f -> f.finding().ruleId()).containsExactly("vmware.command-unmodelled");
    }

    @Test
    void aCompanionProfileForThePrimaryModelOrAnUnknownModelOrProfileIsRefusedWithOneLine() {
        assertThatThrownBy(() -> stealClockEnable(KVM.withCompanion("kvm", HypervisorOptions.profile("kvm"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kvm, which is the primary model");
        assertThatThrownBy(() -> stealClockEnable(KVM.withCompanion("xen", HypervisorOptions.defaults())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("companion profile for unknown hypervisor model 'xen' (available: ")
                .hasMessageContaining("vmware").hasMessageNotContaining("kvm");
        assertThatThrownBy(() -> stealClockEnable(KVM.withCompanion("vmware", HypervisorOptions.profile("nope"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown vmware profile 'nope'");
    }
}
