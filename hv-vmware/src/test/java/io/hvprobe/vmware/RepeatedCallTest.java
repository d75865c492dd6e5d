package io.hvprobe.vmware;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.arch.X86Register;
import io.hvprobe.spi.TrapForm;
import io.hvprobe.spi.TrapOutcome;
import io.hvprobe.vmware.abi.Backdoor;
import io.hvprobe.vmware.entry.EntryPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repeated call to a constant command (GETVERSION in a detection loop) is answered from the last answer, without
 * decoding it again — and always exactly as a session that never saw the first call would answer it: whatever
 * changes outside the entry path's inputs, and whichever input changes.
 */
class RepeatedCallTest {

    static List<Transport> transports() {
        return Transport.allLb(() -> Sessions.vmware(Map.of("arm64-brk", "true")));
    }

    private static EntryPath pathOf(Transport t) {
        return switch (t.toString()) {
            case "port" -> EntryPath.IO_PORT;
            case "vmcall" -> EntryPath.VMCALL;
            case "vmmcall" -> EntryPath.VMMCALL;
            case "tdcall" -> EntryPath.TDCALL;
            case "mrs" -> EntryPath.ARM64_MRS;
            case "hvc" -> EntryPath.ARM64_HVC;
            default -> EntryPath.ARM64_BRK;
        };
    }

    /** What a session that never answered a call makes of {@code registers}, trapped as {@code t} traps. */
    private static TrapOutcome freshAnswer(Transport t, RegisterSnapshot registers) {
        GuestCpu fresh = t.cpu.arch == Arch.X86_64
                ? GuestCpu.x86(Sessions.vmware(Map.of("arm64-brk", "true")))
                : GuestCpu.arm64(Sessions.vmware(Map.of("arm64-brk", "true")));
        for (GuestRegister r : t.cpu.arch.registers()) {
            fresh.set(r, registers.get(r));
        }
        return fresh.raw(formOf(t), fresh.detail(formOf(t)));
    }

    private static TrapForm formOf(Transport t) {
        return switch (t.toString()) {
            case "port" -> TrapForm.IN;
            case "vmcall" -> TrapForm.VMCALL;
            case "vmmcall" -> TrapForm.VMMCALL;
            case "tdcall" -> TrapForm.TDCALL;
            case "mrs" -> TrapForm.MRS;
            case "hvc" -> TrapForm.HVC;
            default -> TrapForm.BRK;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void registersOutsideThePathsInputsLeaveTheAnswerAlone(Transport t) {
        t.cpu.poison();
        TrapOutcome.Handled first = t.call(10, 0);
        assertThat(first.command()).isEqualTo("GETVERSION");
        Set<GuestRegister> inputs = Set.of(pathOf(t).inputs());
        for (GuestRegister r : t.cpu.arch.registers()) {
            if (!inputs.contains(r)) {
                t.cpu.set(r, ~t.cpu.get(r) ^ 0x5A5A_1234L);
            }
        }
        TrapOutcome.Handled again = t.call(10, 0);
        assertThat(again).as("answered from the last call").isSameAs(first);
        assertThat(freshAnswer(t, t.cpu.before)).as("as a fresh session answers it").isEqualTo(again);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void anyRegisterChangedIsAnsweredAsAFreshSessionAnswersIt(Transport t) {
        for (GuestRegister input : t.cpu.arch.registers()) { // every one: an input left out of the key must show
            for (long flip : new long[]{1L << 40, 1L << 20, 1L << 3, 1L}) {
                t.cpu.poison();
                TrapOutcome.Handled first = t.call(10, 0);
                assertThat(first.command()).isEqualTo("GETVERSION");
                // The same call with one register changed: the transport sets the path's own inputs again, so change
                // them after it, on the CPU, and trap with the same form.
                t.cpu.poison();
                t.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 10).arg(3, 0);
                prepare(t);
                t.cpu.set(input, t.cpu.get(input) ^ flip);
                TrapOutcome expected = freshAnswer(t, t.cpu.snapshot());
                TrapOutcome actual = t.cpu.raw(formOf(t), t.cpu.detail(formOf(t)));
                assertThat(actual).as("%s with %s ^ 0x%x", t, input, flip).isEqualTo(expected);
            }
        }
    }

    /** Sets what {@code t}'s path needs beside the arguments, as its {@code lb()} does, without trapping. */
    private static void prepare(Transport t) {
        switch (t.toString()) {
            case "port" -> t.lowWord(Backdoor.LB_PORT);
            case "vmcall", "vmmcall" -> t.lowWord(0);
            case "tdcall" -> {
                t.lowWord(0);
                t.cpu.set(X86Register.RAX, 0).set(X86Register.R10, Backdoor.TDX_VENDOR_LEAF)
                        .set(X86Register.R11, 1).set(X86Register.RCX, 0xFFCC);
            }
            default -> {
                t.lowWord(Backdoor.LB_PORT);
                t.cpu.set(Arm64Register.X7, 0x86L << 32 | 0x0E);
            }
        }
    }

    @Test
    void aPendingStealClockPublicationJoinsTheRepeatedCall() {
        VmwareSession session = Sessions.vmware();
        GuestCpu cpu = GuestCpu.x86(session);
        Transport port = Transport.port(cpu);
        port.arg(0, Backdoor.MAGIC).arg(1, 0).arg(2, 91).arg(3, 0).arg(4, 0).arg(5, 0x10040);
        port.lb(); // STEALCLOCK enable
        TrapOutcome.Handled first = port.call(10, 0);
        assertThat(port.call(10, 0)).isSameAs(first);

        session.setStolenTime(777);
        TrapOutcome.Handled published = port.call(10, 0);
        assertThat(published.memoryWrites()).hasSize(1);
        assertThat(cpu.memory.u64(0x10040)).isEqualTo(777);
        assertThat(port.call(10, 0).memoryWrites()).as("published once").isEmpty();
    }
}
