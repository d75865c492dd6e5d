package io.hvprobe.trap;

import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.guest.CallResult;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapDetail.IoDirection;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.hvprobe.arch.X86Register.RAX;
import static io.hvprobe.arch.X86Register.RBX;
import static io.hvprobe.arch.X86Register.RCX;
import static io.hvprobe.arch.X86Register.RIP;
import static io.hvprobe.arch.X86Register.R15;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every x86_64 trap form, found by the pre-scan: the plugin sees the exact registers and decoded detail at
 * the site, and the guest continues after the instruction with exactly the plugin's writes applied.
 */
class X86TrapFormsTest {

    /** One trap form: its bytes, what the plugin must be told, and the registers it runs with. */
    record Form(String hex, TrapForm form, String text, TrapDetail detail, Map<X86Register, Long> registers,
                int flags) {
        @Override
        public String toString() {
            return text + " [" + hex + "]";
        }
    }

    private static final int PORT = 0x5658;

    private static TrapDetail.Io io(int port, int size, IoDirection dir, boolean immediate) {
        return new TrapDetail.Io(port, size, dir, immediate, false, false, 1, false, 64);
    }

    private static TrapDetail.Io string(int size, IoDirection dir, boolean rep, long count, boolean down,
                                        int addressBits) {
        return new TrapDetail.Io(PORT, size, dir, false, true, rep, count, down, addressBits);
    }

    private static Form form(String hex, TrapForm form, String text, TrapDetail detail) {
        return new Form(hex, form, text, detail, Map.of(), X86Guest.FLAGS);
    }

    static Stream<Form> forms() {
        Map<X86Register, Long> count3 = Map.of(RCX, 3L);
        Map<X86Register, Long> ecx3 = Map.of(RCX, 0xFFFF_FFFF_0000_0003L);
        return Stream.of(
                form("ed", TrapForm.IN, "in eax, dx", io(PORT, 4, IoDirection.IN, false)),
                form("66 ed", TrapForm.IN, "in ax, dx", io(PORT, 2, IoDirection.IN, false)),
                form("ec", TrapForm.IN, "in al, dx", io(PORT, 1, IoDirection.IN, false)),
                form("ef", TrapForm.OUT, "out dx, eax", io(PORT, 4, IoDirection.OUT, false)),
                form("66 ef", TrapForm.OUT, "out dx, ax", io(PORT, 2, IoDirection.OUT, false)),
                form("ee", TrapForm.OUT, "out dx, al", io(PORT, 1, IoDirection.OUT, false)),
                form("e5 80", TrapForm.IN, "in eax, 0x80", io(0x80, 4, IoDirection.IN, true)),
                form("66 e5 80", TrapForm.IN, "in ax, 0x80", io(0x80, 2, IoDirection.IN, true)),
                form("e4 71", TrapForm.IN, "in al, 0x71", io(0x71, 1, IoDirection.IN, true)),
                form("e7 80", TrapForm.OUT, "out 0x80, eax", io(0x80, 4, IoDirection.OUT, true)),
                form("66 e7 80", TrapForm.OUT, "out 0x80, ax", io(0x80, 2, IoDirection.OUT, true)),
                form("e6 71", TrapForm.OUT, "out 0x71, al", io(0x71, 1, IoDirection.OUT, true)),
                form("6c", TrapForm.INS, "insb byte ptr [rdi], dx", string(1, IoDirection.IN, false, 1, false, 64)),
                form("66 6d", TrapForm.INS, "insw word ptr [rdi], dx", string(2, IoDirection.IN, false, 1, false, 64)),
                form("6d", TrapForm.INS, "insd dword ptr [rdi], dx", string(4, IoDirection.IN, false, 1, false, 64)),
                form("6e", TrapForm.OUTS, "outsb dx, byte ptr [rsi]", string(1, IoDirection.OUT, false, 1, false, 64)),
                form("66 6f", TrapForm.OUTS, "outsw dx, word ptr [rsi]",
                        string(2, IoDirection.OUT, false, 1, false, 64)),
                form("6f", TrapForm.OUTS, "outsd dx, dword ptr [rsi]",
                        string(4, IoDirection.OUT, false, 1, false, 64)),
                new Form("f3 6c", TrapForm.INS, "rep insb byte ptr [rdi], dx",
                        string(1, IoDirection.IN, true, 3, false, 64), count3, X86Guest.FLAGS),
                new Form("f3 66 6d", TrapForm.INS, "rep insw word ptr [rdi], dx",
                        string(2, IoDirection.IN, true, 3, true, 64), count3, X86Guest.FLAGS_DOWN),
                new Form("f3 6d", TrapForm.INS, "rep insd dword ptr [rdi], dx",
                        string(4, IoDirection.IN, true, 3, false, 64), count3, X86Guest.FLAGS),
                new Form("f3 6e", TrapForm.OUTS, "rep outsb dx, byte ptr [rsi]",
                        string(1, IoDirection.OUT, true, 3, true, 64), count3, X86Guest.FLAGS_DOWN),
                new Form("66 f3 6f", TrapForm.OUTS, "rep outsw dx, word ptr [rsi]",
                        string(2, IoDirection.OUT, true, 3, false, 64), count3, X86Guest.FLAGS),
                new Form("f3 6f", TrapForm.OUTS, "rep outsd dx, dword ptr [rsi]",
                        string(4, IoDirection.OUT, true, 3, false, 64), count3, X86Guest.FLAGS),
                new Form("f3 67 6c", TrapForm.INS, "rep insb byte ptr [edi], dx",
                        string(1, IoDirection.IN, true, 3, false, 32), ecx3, X86Guest.FLAGS),
                form("0f 01 c1", TrapForm.VMCALL, "vmcall", new TrapDetail.Hypercall()),
                form("3e 0f 01 c1", TrapForm.VMCALL, "vmcall", new TrapDetail.Hypercall()),
                form("0f 01 d9", TrapForm.VMMCALL, "vmmcall", new TrapDetail.Hypercall()),
                form("66 0f 01 cc", TrapForm.TDCALL, "tdcall", new TrapDetail.Hypercall()),
                form("0f a2", TrapForm.CPUID, "cpuid", new TrapDetail.Cpuid(0x564D_5868L, 0xA)),
                form("0f 33", TrapForm.RDPMC, "rdpmc", new TrapDetail.PmcRead(0xA)));
    }

    /** The plugin's answer in every case: one write of each width. */
    private static final List<RegisterWrite> WRITES = List.of(
            new RegisterWrite(RAX, 8, 0x5A),
            RegisterWrite.w32(RBX, 0x1234_5678),
            new RegisterWrite(RCX, 16, 0xBEEF),
            RegisterWrite.w64(R15, 0x7766_5544_3322_1100L));

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void pluginSeesTheExactStateAndTheGuestContinuesWithExactlyItsWrites(Form f) {
        Program p = Program.x86().label("f");
        X86Guest.prologue(p, f.registers(), f.flags());
        int siteOffset = p.here();
        long site = p.hereAddress();
        byte[] bytes = HexFormat.of().parseHex(f.hex().replace(" ", ""));
        p.x(f.hex()).x("c3").x("cc cc cc cc");  // ret; int3 padding catches a PC that overshoots
        RecordingSession plugin = RecordingSession.writing(WRITES.toArray(RegisterWrite[]::new));

        try (TrapBench bench = TrapBench.of(p, plugin)) {
            assertThat(bench.interceptor.sites()).extracting(TrapSite::address).containsExactly(site);

            CallResult result = bench.call("f");

            TrapEvent event = plugin.single();
            RegisterSnapshot atTrap = X86Guest.atTrap(f.registers(), f.flags(), site);
            assertThat(event.registers()).isEqualTo(atTrap);
            assertThat(event.form()).isEqualTo(f.form());
            assertThat(event.pc()).isEqualTo(site);
            assertThat(event.bytes()).isEqualTo(bytes);
            assertThat(event.length()).isEqualTo(bytes.length);
            assertThat(event.disassembly()).isEqualTo(f.text());
            assertThat(event.location()).isEqualTo("f+0x" + Integer.toHexString(siteOffset));
            assertThat(event.detail()).isEqualTo(f.detail());
            assertThat(event.sequence()).isZero();

            long rax = atTrap.get(RAX);
            long rcx = atTrap.get(RCX);
            RegisterSnapshot expectedAfter = atTrap
                    .with(RAX, (rax & ~0xFFL) | 0x5A)                // 8-bit write merges
                    .with(RBX, 0x1234_5678L)                          // 32-bit write zero-extends
                    .with(RCX, (rcx & ~0xFFFFL) | 0xBEEF)            // 16-bit write merges
                    .with(R15, 0x7766_5544_3322_1100L)                // 64-bit write replaces
                    .with(RIP, site + bytes.length);                  // past the whole instruction
            HypercallRecord record = bench.onlyRecord();
            assertThat(record.after()).isEqualTo(expectedAfter);
            assertThat(record.plugin()).contains("plugin0");
            assertThat(record.applied()).isEqualTo(WRITES);

            assertThat(result).isInstanceOf(CallResult.Returned.class);
            assertThat(result.registers()).isEqualTo(X86Guest.afterReturn(expectedAfter));
        }
    }
}
