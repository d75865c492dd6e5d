package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TrapDetails#inputs}: the registers a site's detail reads. Two executions of a site with those registers
 * equal share one detail (the interceptor builds it once per trap loop); a change in one of them changes the detail.
 */
class TrapDetailsSameTest {
    private static final RegisterSnapshot X86 = RegisterSnapshot.of(Arch.X86_64, new long[X86Register.values().length]);

    private static RegisterSnapshot x86With(X86Register register, long value) {
        long[] v = X86.toArray();
        v[register.index()] = value;
        return RegisterSnapshot.of(Arch.X86_64, v);
    }

    private static TrapSite site(TrapForm form, TrapEncoding encoding) {
        return new TrapSite(0x1000, form, new byte[] {0x0F, 0x01}, form.name().toLowerCase(), encoding);
    }

    @Test
    void aSiteThatReadsNoRegisterHasOneDetail() {
        TrapSite inImmediate = site(TrapForm.IN, new TrapEncoding.PortIo(X86Prefixes.NONE, 4, true, 0x58, false));
        TrapSite mrs = site(TrapForm.MRS,
                new TrapEncoding.SystemRegisterAccess(SystemRegisterId.MDCCSR_EL0, "mdccsr_el0", true, 31));

        assertThat(TrapDetails.inputs(inImmediate)).isEmpty();
        assertThat(TrapDetails.of(inImmediate, X86)).isEqualTo(TrapDetails.of(inImmediate, x86With(X86Register.RDX, 1)));
        assertThat(TrapDetails.inputs(mrs)).isEmpty();
        assertThat(TrapDetails.inputs(site(TrapForm.HVC, new TrapEncoding.ExceptionCall(0x86)))).isEmpty();
        assertThat(TrapDetails.inputs(site(TrapForm.VMCALL, new TrapEncoding.X86Plain(X86Prefixes.NONE)))).isEmpty();
    }

    @Test
    void inFromDxReadsDx() {
        TrapSite inDx = site(TrapForm.IN, new TrapEncoding.PortIo(X86Prefixes.NONE, 4, false, 0, false));

        assertThat(TrapDetails.inputs(inDx)).containsExactly(X86Register.RDX);
        assertThat(TrapDetails.of(inDx, X86)).isNotEqualTo(TrapDetails.of(inDx, x86With(X86Register.RDX, 0x5658)));
        assertThat(TrapDetails.of(inDx, X86)).isEqualTo(TrapDetails.of(inDx, x86With(X86Register.RAX, 0x564D5868)));
    }

    @Test
    void stringIoAndCpuidReadMoreRegisters() {
        TrapSite repInsb = site(TrapForm.INS, new TrapEncoding.PortIo(
                new X86Prefixes(true, false, false, false, 0, 0, 0), 1, false, 0, true));
        TrapSite cpuid = site(TrapForm.CPUID, new TrapEncoding.X86Plain(X86Prefixes.NONE));

        assertThat(TrapDetails.inputs(repInsb))
                .containsExactlyInAnyOrder(X86Register.RDX, X86Register.RCX, X86Register.RFLAGS);
        assertThat(TrapDetails.of(repInsb, X86)).isNotEqualTo(TrapDetails.of(repInsb, x86With(X86Register.RCX, 16)));
        assertThat(TrapDetails.of(repInsb, X86))
                .isNotEqualTo(TrapDetails.of(repInsb, x86With(X86Register.RFLAGS, 1 << 10)));
        assertThat(TrapDetails.inputs(cpuid)).containsExactlyInAnyOrder(X86Register.RAX, X86Register.RCX);
        assertThat(TrapDetails.of(cpuid, X86)).isNotEqualTo(TrapDetails.of(cpuid, x86With(X86Register.RCX, 1)));
    }
}
