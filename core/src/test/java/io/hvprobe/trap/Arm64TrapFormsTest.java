package io.hvprobe.trap;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.guest.CallResult;
import io.hvprobe.loader.Permissions;
import io.hvprobe.run.HypercallRecord;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.hvprobe.arch.Arm64Register.PC;
import static io.hvprobe.arch.Arm64Register.X1;
import static io.hvprobe.arch.Arm64Register.X2;
import static io.hvprobe.arch.Arm64Register.X28;
import static io.hvprobe.arch.Arm64Register.X3;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every arm64 trap form, found by the pre-scan: the plugin sees the exact registers and decoded detail at
 * the site, and the guest continues at the next instruction with exactly the plugin's writes applied.
 */
class Arm64TrapFormsTest {

    /** {@code CNTVCT_EL0}: normally readable at EL1; trapped here because the configuration says so. */
    static final SystemRegisterId CNTVCT_EL0 = new SystemRegisterId(3, 3, 14, 0, 2);

    record Form(int word, TrapForm form, String text, TrapDetail detail) {
        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<Form> forms() {
        return Stream.of(
                new Form(Program.hvc(0), TrapForm.HVC, "hvc #0", new TrapDetail.ExceptionCall(0)),
                new Form(Program.hvc(0x86), TrapForm.HVC, "hvc #0x86", new TrapDetail.ExceptionCall(0x86)),
                new Form(Program.hvc(0xFFFF), TrapForm.HVC, "hvc #0xffff", new TrapDetail.ExceptionCall(0xFFFF)),
                new Form(Program.smc(7), TrapForm.SMC, "smc #0x7", new TrapDetail.ExceptionCall(7)),
                new Form(Program.brk(0x3C), TrapForm.BRK, "brk #0x3c", new TrapDetail.ExceptionCall(0x3C)),
                new Form(Program.mrsMdccsr(31), TrapForm.MRS, "mrs xzr, mdccsr_el0",
                        new TrapDetail.SystemRegister(2, 3, 0, 1, 0, true, 31, "mdccsr_el0")),
                new Form(Program.mrsMdccsr(5), TrapForm.MRS, "mrs x5, mdccsr_el0",
                        new TrapDetail.SystemRegister(2, 3, 0, 1, 0, true, 5, "mdccsr_el0")),
                new Form(0xD513_0106, TrapForm.MSR, "msr mdccsr_el0, x6",
                        new TrapDetail.SystemRegister(2, 3, 0, 1, 0, false, 6, "mdccsr_el0")),
                new Form(0xD53B_E040, TrapForm.MRS, "mrs x0, cntvct_el0",
                        new TrapDetail.SystemRegister(3, 3, 14, 0, 2, true, 0, "cntvct_el0")));
    }

    private static final List<RegisterWrite> WRITES = List.of(
            new RegisterWrite(X1, 8, 0x5A),
            RegisterWrite.w32(X2, 0x1234_5678),
            new RegisterWrite(X3, 16, 0xBEEF),
            RegisterWrite.w64(X28, 0x7766_5544_3322_1100L));

    @ParameterizedTest(name = "{0}")
    @MethodSource("forms")
    void pluginSeesTheExactStateAndTheGuestContinuesWithExactlyItsWrites(Form f) {
        Program p = Program.arm64().label("f");
        Arm64Guest.prologue(p, Map.of());
        int siteOffset = p.here();
        long site = p.hereAddress();
        p.a(f.word(), Program.RET, Program.brk(0xDEAD));  // a PC that overshoots hits the BRK
        RecordingSession plugin = RecordingSession.writing(WRITES.toArray(RegisterWrite[]::new));
        TrappedSystemRegisters trapped = TrappedSystemRegisters.defaults().with(CNTVCT_EL0, "cntvct_el0");

        try (TrapBench bench = TrapBench.of(p, Permissions.READ_EXECUTE, CpuModel.defaults(), trapped, plugin)) {
            assertThat(bench.interceptor.sites()).extracting(TrapSite::address).contains(site);

            CallResult result = bench.call("f");

            TrapEvent event = plugin.single();
            RegisterSnapshot atTrap = Arm64Guest.atTrap(Map.of(), site);
            assertThat(event.registers()).isEqualTo(atTrap);
            assertThat(event.form()).isEqualTo(f.form());
            assertThat(event.pc()).isEqualTo(site);
            assertThat(event.bytes()).isEqualTo(new byte[] {(byte) f.word(), (byte) (f.word() >>> 8),
                    (byte) (f.word() >>> 16), (byte) (f.word() >>> 24)});
            assertThat(event.disassembly()).isEqualTo(f.text());
            assertThat(event.location()).isEqualTo("f+0x" + Integer.toHexString(siteOffset));
            assertThat(event.detail()).isEqualTo(f.detail());

            long x1 = atTrap.get(X1);
            long x3 = atTrap.get(X3);
            RegisterSnapshot expectedAfter = atTrap
                    .with(X1, (x1 & ~0xFFL) | 0x5A)
                    .with(X2, 0x1234_5678L)
                    .with(X3, (x3 & ~0xFFFFL) | 0xBEEF)
                    .with(X28, 0x7766_5544_3322_1100L)
                    .with(PC, site + 4);
            HypercallRecord record = bench.onlyRecord();
            assertThat(record.after()).isEqualTo(expectedAfter);

            assertThat(result).isInstanceOf(CallResult.Returned.class);
            assertThat(result.registers()).isEqualTo(Arm64Guest.afterReturn(expectedAfter));
        }
    }
}
