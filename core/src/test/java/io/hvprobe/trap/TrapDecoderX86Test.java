package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapDetail.IoDirection;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class TrapDecoderX86Test {
    private final TrapDecoder decoder = new TrapDecoder();

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private TrapSite site(String hex) {
        return decoder.decode(Arch.X86_64, 0x1000, hex(hex)).orElseThrow(() -> new AssertionError("no site: " + hex));
    }

    private static RegisterSnapshot regs() {
        return RegisterSnapshot.of(Arch.X86_64, new long[X86Register.values().length])
                .with(X86Register.RAX, 0x5658_4D56L)
                .with(X86Register.RCX, 0xAAAA_BBBB_0000_0010L)
                .with(X86Register.RDX, 0x1234_0000_0000_5658L)
                .with(X86Register.RFLAGS, 0x202);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "ec,             IN,   1, 'in al, dx'",
            "ed,             IN,   1, 'in eax, dx'",
            "66 ed,          IN,   2, 'in ax, dx'",
            "ee,             OUT,  1, 'out dx, al'",
            "ef,             OUT,  1, 'out dx, eax'",
            "66 ef,          OUT,  2, 'out dx, ax'",
            "e4 80,          IN,   2, 'in al, 0x80'",
            "e5 70,          IN,   2, 'in eax, 0x70'",
            "e6 80,          OUT,  2, 'out 0x80, al'",
            "66 e7 71,       OUT,  3, 'out 0x71, ax'",
            "6c,             INS,  1, 'insb byte ptr [rdi], dx'",
            "f3 6c,          INS,  2, 'rep insb byte ptr [rdi], dx'",
            "66 f3 6d,       INS,  3, 'rep insw word ptr [rdi], dx'",
            "67 f3 6d,       INS,  3, 'rep insd dword ptr [edi], dx'",
            "f3 6e,          OUTS, 2, 'rep outsb dx, byte ptr [rsi]'",
            "6f,             OUTS, 1, 'outsd dx, dword ptr [rsi]'",
            "f2 6e,          OUTS, 2, 'rep outsb dx, byte ptr [rsi]'",
            "0f 01 c1,       VMCALL,  3, vmcall",
            "0f 01 d9,       VMMCALL, 3, vmmcall",
            "66 0f 01 cc,    TDCALL,  4, tdcall",
            "0f a2,          CPUID,   2, cpuid",
            "0f 33,          RDPMC,   2, rdpmc",
            "2e 67 48 0f 01 c1, VMCALL, 6, vmcall",
            "64 66 48 ed,    IN,   4, 'in ax, dx'",
            "3e 26 f3 66 67 6d, INS, 6, 'rep insw word ptr [edi], dx'",
            "66 48 0f 01 cc, TDCALL,  5, tdcall",
            "f3 0f a2,       CPUID,   3, cpuid"
    })
    void decodesEveryFormWithPrefixes(String hex, TrapForm form, int length, String text) {
        TrapSite site = site(hex + " 90 90");

        assertThat(site.form()).isEqualTo(form);
        assertThat(site.length()).isEqualTo(length);
        assertThat(site.text()).isEqualTo(text);
        assertThat(site.address()).isEqualTo(0x1000);
        assertThat(site.bytes()).isEqualTo(hex(hex));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "0f 01 c2",      // vmlaunch
            "0f 01 c3",      // vmresume
            "0f 01 d8",      // vmrun
            "0f 01 cc",      // TDCALL without its 66
            "f3 0f 01 cc",   // rep instead of 66
            "66 f3 0f 01 cc",
            "66 0f 01 c1",   // vmcall with a mandatory-prefix byte
            "f3 0f 01 d9",
            "f0 ed",         // lock in: #UD
            "f0 0f a2",
            "90", "c3", "0f 05", "0f 0b", "48 89 d8",
            "e4",            // immediate missing
            "0f 01",         // truncated
            "66",
            "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 ed"  // 16 bytes: longer than any instruction
    })
    void rejectsNearMissesAndTruncations(String hex) {
        assertThat(decoder.decode(Arch.X86_64, 0, hex(hex))).isEmpty();
    }

    @Test
    void fourteenPrefixesAreStillLegal() {
        TrapSite site = site("66 66 66 66 66 66 66 66 66 66 66 66 66 66 ed");
        assertThat(site.length()).isEqualTo(15);
        assertThat(site.text()).isEqualTo("in ax, dx");
    }

    @Test
    void rexCountsOnlyDirectlyBeforeTheOpcode() {
        TrapEncoding.PortIo early = (TrapEncoding.PortIo) site("48 66 ed").encoding();
        TrapEncoding.PortIo late = (TrapEncoding.PortIo) site("66 48 ed").encoding();

        assertThat(early.prefixes().rex()).isZero();
        assertThat(late.prefixes().rex()).isEqualTo(0x48);
        assertThat(late.prefixes()).isEqualTo(new X86Prefixes(false, false, true, false, 0, 0x48, 2));
    }

    @Test
    void portFromDxIsItsLow16Bits() {
        TrapDetail detail = TrapDetails.of(site("ed"), regs());

        assertThat(detail).isEqualTo(new TrapDetail.Io(0x5658, 4, IoDirection.IN, false, false, false, 1, false, 64));
    }

    @Test
    void immediatePortIgnoresDx() {
        TrapDetail detail = TrapDetails.of(site("e6 80"), regs());

        assertThat(detail).isEqualTo(new TrapDetail.Io(0x80, 1, IoDirection.OUT, true, false, false, 1, false, 64));
        assertThat(((TrapEncoding.PortIo) site("e6 80").encoding()).port()).isEqualTo(0x80);
        assertThat(((TrapEncoding.PortIo) site("ee").encoding()).port()).isEqualTo(-1);
    }

    @Test
    void repStringCountsWithRcxOrEcxAndHonoursTheDirectionFlag() {
        RegisterSnapshot down = regs().with(X86Register.RFLAGS, 0x602);

        assertThat(TrapDetails.of(site("f3 6c"), regs())).isEqualTo(
                new TrapDetail.Io(0x5658, 1, IoDirection.IN, false, true, true, 0xAAAA_BBBB_0000_0010L, false, 64));
        assertThat(TrapDetails.of(site("67 f3 66 6f"), down)).isEqualTo(
                new TrapDetail.Io(0x5658, 2, IoDirection.OUT, false, true, true, 0x10, true, 32));
        assertThat(TrapDetails.of(site("6d"), down)).isEqualTo(
                new TrapDetail.Io(0x5658, 4, IoDirection.IN, false, true, false, 1, true, 64));
    }

    @Test
    void repOnAPlainPortAccessIsNotAString() {
        assertThat(TrapDetails.of(site("f3 ec"), regs())).isEqualTo(
                new TrapDetail.Io(0x5658, 1, IoDirection.IN, false, false, false, 1, false, 64));
    }

    @Test
    void cpuidRdpmcAndHypercallDetails() {
        RegisterSnapshot r = regs().with(X86Register.RAX, 0xFFFF_FFFF_4000_0000L).with(X86Register.RCX, 0x1_0000_0003L);

        assertThat(TrapDetails.of(site("0f a2"), r)).isEqualTo(new TrapDetail.Cpuid(0x4000_0000L, 3));
        assertThat(TrapDetails.of(site("0f 33"), r)).isEqualTo(new TrapDetail.PmcRead(3));
        assertThat(TrapDetails.of(site("0f 01 c1"), r)).isEqualTo(new TrapDetail.Hypercall());
        assertThat(TrapDetails.of(site("66 0f 01 cc"), r)).isEqualTo(new TrapDetail.Hypercall());
    }

    @Test
    void decodesAtAnOffsetWithinALimit() {
        byte[] code = hex("90 90 e5 42 90");
        assertThat(decoder.decode(Arch.X86_64, 0x2002, code, 2, 5).orElseThrow().text()).isEqualTo("in eax, 0x42");
        assertThat(decoder.decode(Arch.X86_64, 0x2002, code, 2, 3)).isEmpty();   // immediate beyond the limit
        assertThat(decoder.decode(Arch.X86_64, 0, code, 5, 5)).isEmpty();
    }
}
