package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrapDecoderArm64Test {
    private final TrapDecoder decoder = new TrapDecoder();
    private final RegisterSnapshot regs = RegisterSnapshot.of(Arch.ARM64, new long[Arm64Register.values().length]);

    private static byte[] le(int word) {
        return new byte[] {(byte) word, (byte) (word >>> 8), (byte) (word >>> 16), (byte) (word >>> 24)};
    }

    private Optional<TrapSite> decode(TrapDecoder d, int word) {
        return d.decode(Arch.ARM64, 0x8000, le(word));
    }

    private TrapSite site(int word) {
        return decode(decoder, word).orElseThrow();
    }

    @Test
    void exceptionCallsCarryTheirImmediate() {
        assertThat(site(0xD4000002 | 0x86 << 5)).satisfies(s -> {
            assertThat(s.form()).isEqualTo(TrapForm.HVC);
            assertThat(s.text()).isEqualTo("hvc #0x86");
            assertThat(s.length()).isEqualTo(4);
            assertThat(s.bytes()).isEqualTo(le(0xD40010C2));
            assertThat(TrapDetails.of(s, regs)).isEqualTo(new TrapDetail.ExceptionCall(0x86));
        });
        assertThat(site(0xD4000003 | 0xFFFF << 5).text()).isEqualTo("smc #0xffff");
        assertThat(site(0xD4200000 | 0x86 << 5)).satisfies(s -> {
            assertThat(s.form()).isEqualTo(TrapForm.BRK);
            assertThat(TrapDetails.of(s, regs)).isEqualTo(new TrapDetail.ExceptionCall(0x86));
        });
        assertThat(site(0xD4000002).text()).isEqualTo("hvc #0");
    }

    @Test
    void mrsXzrMdccsrIsTheDefaultSystemRegisterTrap() {
        TrapSite s = site(0xD533011F);

        assertThat(s.form()).isEqualTo(TrapForm.MRS);
        assertThat(s.text()).isEqualTo("mrs xzr, mdccsr_el0");
        assertThat(s.encoding()).isEqualTo(
                new TrapEncoding.SystemRegisterAccess(SystemRegisterId.MDCCSR_EL0, "mdccsr_el0", true, 31));
        assertThat(TrapDetails.of(s, regs)).isEqualTo(new TrapDetail.SystemRegister(2, 3, 0, 1, 0, true, 31, "mdccsr_el0"));
    }

    @Test
    void anyDestinationRegisterStillTraps() {
        TrapSite s = site(0xD5330100);   // mrs x0, mdccsr_el0

        assertThat(s.text()).isEqualTo("mrs x0, mdccsr_el0");
        assertThat(((TrapDetail.SystemRegister) TrapDetails.of(s, regs)).rt()).isZero();
    }

    @Test
    void msrOfATrappedRegisterIsAWrite() {
        TrapSite s = site(0xD5130105);   // msr mdccsr_el0, x5

        assertThat(s.form()).isEqualTo(TrapForm.MSR);
        assertThat(s.text()).isEqualTo("msr mdccsr_el0, x5");
        assertThat(TrapDetails.of(s, regs)).isEqualTo(new TrapDetail.SystemRegister(2, 3, 0, 1, 0, false, 5, "mdccsr_el0"));
    }

    @ParameterizedTest(name = "0x{0}")
    @ValueSource(ints = {
            0xD53BE040,   // mrs x0, cntvct_el0: not trapped by default
            0xD51B4200,   // msr nzcv, x0
            0xD503201F,   // nop
            0xD4000001,   // svc #0
            0xD4000006,   // hvc with op2 bits set: unallocated
            0xD4400000,   // hlt #0
            0x8B020020,   // add x0, x1, x2
            0xD500401F    // msr spsel, #0 (immediate form)
    })
    void otherWordsDoNotTrap(int word) {
        assertThat(decode(decoder, word)).isEmpty();
    }

    @Test
    void extraSystemRegistersCanBeRouted() {
        SystemRegisterId cntvct = new SystemRegisterId(3, 3, 14, 0, 2);
        TrapDecoder routed = new TrapDecoder(TrappedSystemRegisters.defaults().with(cntvct, "CNTVCT_EL0"));

        assertThat(decode(routed, 0xD53BE040).orElseThrow().text()).isEqualTo("mrs x0, cntvct_el0");
        assertThat(decode(routed, 0xD533011F)).isPresent();
        assertThat(decode(new TrapDecoder(TrappedSystemRegisters.none()), 0xD533011F)).isEmpty();
        assertThat(cntvct.genericName()).isEqualTo("s3_3_c14_c0_2");
    }

    @Test
    void shortInputAndWrongRegistersAreRejected() {
        assertThat(decoder.decode(Arch.ARM64, 0, new byte[] {0x1F, 0x01, 0x33})).isEmpty();
        TrapSite s = site(0xD533011F);
        RegisterSnapshot x86 = RegisterSnapshot.of(Arch.X86_64, new long[18]);
        assertThatThrownBy(() -> TrapDetails.of(s, x86)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SystemRegisterId(1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
