package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TrapDetails#isFixed}: a site whose detail reads no register may share one detail between its executions
 * (the interceptor builds it once per trap loop); one that reads a register may not.
 */
class TrapDetailsFixedTest {
    private static final RegisterSnapshot X86_ZEROS = x86(0);
    private static final RegisterSnapshot X86_OTHER = x86(0x5659_0403L);

    private static RegisterSnapshot x86(long value) {
        long[] v = new long[X86Register.values().length];
        Arrays.fill(v, value);
        return RegisterSnapshot.of(Arch.X86_64, v);
    }

    private static TrapSite site(TrapForm form, TrapEncoding encoding) {
        return new TrapSite(0x1000, form, new byte[] {0x0F, 0x01}, form.name().toLowerCase(), encoding);
    }

    @Test
    void aSiteThatReadsNoRegisterIsFixed() {
        TrapSite vmcall = site(TrapForm.VMCALL, new TrapEncoding.X86Plain(X86Prefixes.NONE));
        TrapSite inImmediate = site(TrapForm.IN, new TrapEncoding.PortIo(X86Prefixes.NONE, 4, true, 0x58, false));
        TrapSite mrs = site(TrapForm.MRS,
                new TrapEncoding.SystemRegisterAccess(SystemRegisterId.MDCCSR_EL0, "mdccsr_el0", true, 31));
        TrapSite hvc = site(TrapForm.HVC, new TrapEncoding.ExceptionCall(0x86));

        assertThat(TrapDetails.isFixed(vmcall)).isTrue();
        assertThat(TrapDetails.isFixed(inImmediate)).isTrue();
        assertThat(TrapDetails.of(inImmediate, X86_ZEROS)).isEqualTo(TrapDetails.of(inImmediate, X86_OTHER));
        RegisterSnapshot arm = RegisterSnapshot.of(Arch.ARM64, new long[Arm64Register.values().length]);
        assertThat(TrapDetails.isFixed(mrs)).isTrue();
        assertThat(TrapDetails.of(mrs, arm)).isEqualTo(TrapDetails.of(mrs, arm));
        assertThat(TrapDetails.isFixed(hvc)).isTrue();
    }

    @Test
    void aSiteThatReadsARegisterIsNot() {
        TrapSite inDx = site(TrapForm.IN, new TrapEncoding.PortIo(X86Prefixes.NONE, 4, false, 0, false));
        TrapSite insb = site(TrapForm.INS, new TrapEncoding.PortIo(X86Prefixes.NONE, 1, false, 0, true));
        TrapSite cpuid = site(TrapForm.CPUID, new TrapEncoding.X86Plain(X86Prefixes.NONE));

        assertThat(TrapDetails.isFixed(inDx)).isFalse();
        assertThat(TrapDetails.of(inDx, X86_ZEROS)).isNotEqualTo(TrapDetails.of(inDx, X86_OTHER));
        assertThat(TrapDetails.isFixed(insb)).isFalse();
        assertThat(TrapDetails.isFixed(cpuid)).isFalse();
        assertThat(TrapDetails.of(cpuid, X86_ZEROS)).isNotEqualTo(TrapDetails.of(cpuid, X86_OTHER));
    }
}
