package io.hvprobe.trap;

import io.hvprobe.arch.Arm64Register;
import io.hvprobe.guest.Argument;
import io.hvprobe.guest.CallResult;
import io.hvprobe.guest.Fault;
import io.hvprobe.run.HypercallLog;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapDetail;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;

import static io.hvprobe.arch.Arm64Register.PC;
import static io.hvprobe.arch.Arm64Register.X0;
import static io.hvprobe.arch.Arm64Register.X1;
import static org.assertj.core.api.Assertions.assertThat;

/** How interception behaves on arm64 beyond single forms: refusals, loops and sites the scan cannot know. */
class Arm64InterceptionTest {

    private static byte[] le(int word) {
        return new byte[] {(byte) word, (byte) (word >>> 8), (byte) (word >>> 16), (byte) (word >>> 24)};
    }

    @Test
    void unhandledHvcEndsTheCallWithAFaultNamingTheSiteAndArguments() {
        Program p = Program.arm64().label("f");
        Arm64Guest.prologue(p, Map.of(X0, 0x564D5868L, X1, 0xFFFF_FFFF_0000_000AL));
        p.label("site").a(Program.hvc(0x86), Program.RET);
        try (TrapBench bench = TrapBench.of(p, RecordingSession.notMine())) {
            CallResult result = bench.call("f");

            Fault fault = ((CallResult.Faulted) result).fault();
            assertThat(fault.kind()).isEqualTo(Fault.Kind.UNHANDLED_TRAP);
            assertThat(fault.pc()).isEqualTo(p.address("site"));
            assertThat(fault.location()).isEqualTo("site");
            assertThat(fault.detail()).startsWith(
                    "unhandled HVC at site (hvc #0x86), x0=0x564d5868 x1=0xffffffff0000000a x2=0xa000030012345602");
            assertThat(bench.onlyRecord().handled()).isFalse();
        }
    }

    @Test
    void aTrapInA100000IterationLoopRunsToCompletion() {
        Program p = Program.arm64().label("f")
                .label("loop").a(Program.hvc(0))
                .a(Program.decrementSetFlags(0))     // subs x0, x0, #1
                .a(Program.bne(-8))                  // b.ne loop
                .a(Program.RET);
        RecordingSession plugin = RecordingSession.writing(RegisterWrite.w32(X1, 1)).keeping(0);
        HypercallLog log = new HypercallLog(1000);
        try (TrapBench bench = TrapBench.withLog(p, log, plugin)) {
            CallResult result = bench.machine.call(p.address("f"), List.of(Argument.value(100_000)));

            assertThat(result).isInstanceOf(CallResult.Returned.class);
            assertThat(log.count()).isEqualTo(100_000);
            assertThat(log.records()).hasSize(1000);
        }
    }

    /** The guest copies a trap word into writable code and branches to it: the dynamic-code watch sees it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TrapForm.class, names = {"HVC", "MRS"})
    void trapCopiedIntoWritableCodeAtRunTimeIsCaught(TrapForm form) {
        int word = form == TrapForm.HVC ? Program.hvc(0x86) : Program.mrsMdccsr(31);
        Program p = Program.arm64().label("f")
                .mov64(1, word & 0xFFFF_FFFFL)
                .a(Program.adr(2, 12))               // x2 = target
                .a(Program.strW(1, 2))               // str w1, [x2]
                .a(Program.br(2))
                .label("target").a(0)                // udf #0 until the guest writes the trap here
                .a(Program.RET);
        RecordingSession plugin = RecordingSession.writing(RegisterWrite.w32(X0, 0x600D));
        try (TrapBench bench = TrapBench.writable(p, plugin)) {
            assertThat(bench.interceptor.sites()).isEmpty();

            CallResult result = bench.call("f");

            assertThat(result).isInstanceOf(CallResult.Returned.class);
            assertThat(result.registers().get(X0)).isEqualTo(0x600D);
            TrapEvent event = plugin.single();
            assertThat(event.form()).isEqualTo(form);
            assertThat(event.pc()).isEqualTo(p.address("target"));
            assertThat(event.registers().get(PC)).isEqualTo(p.address("target"));
            assertThat(bench.onlyRecord().after().get(PC)).isEqualTo(p.address("target") + 4);
        }
    }

    /**
     * A trap word put into code behind the watch's back (here by the hypervisor's own memory write, which
     * raises no guest write hook) reaches the exception safety net: UNDEF for HVC and MRS, the SMC exception
     * (reported after the instruction) and the BRK exception.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = TrapForm.class, names = {"HVC", "SMC", "BRK", "MRS"})
    void trapWrittenWhereNoHookWatchesIsCaughtByTheExceptionNet(TrapForm form) {
        int word = switch (form) {
            case HVC -> Program.hvc(0x86);
            case SMC -> Program.smc(3);
            case BRK -> Program.brk(0xF000);
            default -> Program.mrsMdccsr(31);
        };
        Program p = Program.arm64().label("f")
                .a(Program.hvc(1))                   // the plugin answers this one by writing the next trap
                .label("target").a(0)                // udf #0 until then
                .a(Program.RET);
        long target = p.address("target");
        RecordingSession plugin = RecordingSession.answering((e, m) -> e.pc() == p.address("f")
                ? RecordingSession.handled(List.of(), List.of(new MemoryWrite(target, le(word))))
                : RecordingSession.handled(List.of(RegisterWrite.w64(X1, 0x1234_5678_9ABC_DEF0L)), List.of()));
        try (TrapBench bench = TrapBench.writable(p, plugin)) {
            CallResult result = bench.call("f");

            assertThat(result).isInstanceOf(CallResult.Returned.class);
            assertThat(plugin.events()).hasSize(2);
            TrapEvent event = plugin.events().get(1);
            assertThat(event.form()).isEqualTo(form);
            assertThat(event.pc()).isEqualTo(target);
            assertThat(event.registers().get(PC)).isEqualTo(target);
            assertThat(result.registers().get(X1)).isEqualTo(0x1234_5678_9ABC_DEF0L);
            assertThat(bench.interceptor.log().records().get(1).after().get(PC)).isEqualTo(target + 4);
        }
    }

    @Test
    void unhandledSmcReportedAfterTheInstructionFaultsAtTheSmcItself() {
        Program p = Program.arm64().label("f").a(Program.hvc(1)).label("target").a(0).a(Program.RET);
        long target = p.address("target");
        RecordingSession plugin = RecordingSession.answering((e, m) -> e.pc() == p.address("f")
                ? RecordingSession.handled(List.of(), List.of(new MemoryWrite(target, le(Program.smc(3)))))
                : io.hvprobe.spi.TrapOutcome.NOT_MINE);
        try (TrapBench bench = TrapBench.writable(p, plugin)) {
            CallResult result = bench.call("f");

            Fault fault = ((CallResult.Faulted) result).fault();
            assertThat(fault.kind()).isEqualTo(Fault.Kind.UNHANDLED_TRAP);
            assertThat(fault.pc()).isEqualTo(target);
            assertThat(fault.location()).isEqualTo("target");
            assertThat(fault.instruction()).startsWith("smc #");
            assertThat(fault.registers().get(PC)).isEqualTo(target);
            assertThat(fault.detail()).startsWith("unhandled SMC at target (smc #0x3)");
            assertThat(plugin.seen()).as("asked once per trap, then stopped").isEqualTo(2);
        }
    }

    /**
     * SVC reports the address after itself: the exception net must not decode the HVC that follows there and
     * run it in place of the SVC (it used to, and the SVC vanished).
     */
    @Test
    void svcRightBeforeATrapIsAFaultNotTheTrap() {
        Program p = Program.arm64().label("f").a(0xD400_0001)          // svc #0
                .label("site").a(Program.hvc(0x86)).a(Program.RET);
        RecordingSession plugin = RecordingSession.writing(RegisterWrite.w32(X0, 7));
        try (TrapBench bench = TrapBench.of(p, plugin)) {
            CallResult result = bench.call("f");

            assertThat(result).isInstanceOf(CallResult.Faulted.class);
            Fault fault = ((CallResult.Faulted) result).fault();
            assertThat(fault.kind()).isEqualTo(Fault.Kind.UNEXPECTED_INTERRUPT);
            assertThat(fault.detail()).isEqualTo("exception 2 (SVC)");
            assertThat(plugin.seen()).as("the hvc after the svc never ran").isZero();
        }
    }

    /** An SMC the scan missed (reported after itself) is handled even when a known trap follows it. */
    @Test
    void hiddenSmcFollowedByAKnownHvcRunsBothInOrder() {
        Program p = Program.arm64().label("f").a(Program.hvc(1))     // writes the SMC below
                .label("target").a(0)                                 // udf #0 until then
                .label("next").a(Program.hvc(2)).a(Program.RET);
        long target = p.address("target");
        RecordingSession plugin = RecordingSession.answering((e, m) -> e.pc() == p.address("f")
                ? RecordingSession.handled(List.of(), List.of(new MemoryWrite(target, le(Program.smc(3)))))
                : RecordingSession.handled(List.of(), List.of()));
        try (TrapBench bench = TrapBench.writable(p, plugin)) {
            CallResult result = bench.call("f");

            assertThat(result).isInstanceOf(CallResult.Returned.class);
            assertThat(plugin.events()).extracting(TrapEvent::form)
                    .containsExactly(TrapForm.HVC, TrapForm.SMC, TrapForm.HVC);
            assertThat(plugin.events()).extracting(TrapEvent::pc)
                    .containsExactly(p.address("f"), target, p.address("next"));
        }
    }

    @Test
    void trappedMrsIntoAGeneralRegisterGetsThePluginsValue() {
        Program p = Program.arm64().label("f").a(Program.mrsMdccsr(0)).a(Program.RET);
        RecordingSession plugin = RecordingSession.answering((e, m) -> {
            TrapDetail.SystemRegister sys = (TrapDetail.SystemRegister) e.detail();
            return RecordingSession.handled(
                    List.of(RegisterWrite.w64(Arm64Register.x(sys.rt()), 0x0000_0000_2000_0000L)), List.of());
        });
        try (TrapBench bench = TrapBench.of(p, plugin)) {
            CallResult result = bench.call("f");

            assertThat(result).isInstanceOf(CallResult.Returned.class);
            assertThat(((CallResult.Returned) result).value()).isEqualTo(0x2000_0000L);
        }
    }
}
