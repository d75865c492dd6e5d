package io.hvprobe.vmware;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the VMware model claims in a run whose primary model is another one (a KVM run): backdoor calls, recognised by
 * the magic, the backdoor ports, {@code #0x86} or the trapped {@code mdccsr_el0}; never CPUID or a plain KVM call.
 */
class ClaimsTest {
    private final VmwareSession session = Sessions.vmware();

    private static TrapEvent event(TrapForm form, RegisterSnapshot regs, TrapDetail detail) {
        return new TrapEvent(0, form, 0x1000, new byte[] {1}, form.name(), "t+0x0", regs, detail);
    }

    private static RegisterSnapshot x86(long rax) {
        return RegisterSnapshot.of(Arch.X86_64, new long[Arch.X86_64.registers().size()]).with(X86Register.RAX, rax);
    }

    private static RegisterSnapshot arm64(long x0, long x7) {
        return RegisterSnapshot.of(Arch.ARM64, new long[Arch.ARM64.registers().size()]).with(Arm64Register.X0, x0)
                .with(Arm64Register.X7, x7);
    }

    @Test
    void aVmcallWithTheMagicIsVmwaresAKvmHypercallIsNot() {
        assertThat(session.claims(event(TrapForm.VMCALL, x86(0x564D5868L), new TrapDetail.Hypercall()))).isTrue();
        assertThat(session.claims(event(TrapForm.VMMCALL, x86(9), new TrapDetail.Hypercall()))).isFalse();
    }

    @Test
    void hvc0x86IsVmwaresHvc0IsNot() {
        long descriptor = 0x86_0000_000EL;
        assertThat(session.claims(event(TrapForm.HVC, arm64(0x564D5868L, descriptor),
                new TrapDetail.ExceptionCall(0x86)))).isTrue();
        assertThat(session.claims(event(TrapForm.HVC, arm64(0x84000000L, 0), new TrapDetail.ExceptionCall(0))))
                .isFalse();
        assertThat(session.claims(event(TrapForm.SMC, arm64(0xC4000053L, 0), new TrapDetail.ExceptionCall(0))))
                .isFalse();
    }

    @Test
    void cpuidStaysWithThePrimaryModel() {
        assertThat(session.claims(event(TrapForm.CPUID, x86(0x40000000L), new TrapDetail.Cpuid(0x40000000L, 0))))
                .isFalse();
    }
}
