package io.hvprobe.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.arch.Arch;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.loader.Permissions;
import io.hvprobe.loader.RawBlob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-assembled guests (raw blobs at 0x10000000) that loop, fault, touch page after page or read the per-CPU
 * state: every call ends with a typed result, within its limits.
 */
class GuestMachineSafetyTest {
    private static final long BASE = 0x1000_0000L;

    /** A raw blob of {@code hex} bytes with one function {@code f} at its start. */
    private static GuestImage blob(Arch arch, String hex) throws Exception {
        return ImageLoader.loadRaw(new RawBlob("t.bin", HexFormat.of().parseHex(hex.replace(" ", "")), arch, BASE,
                Permissions.READ_EXECUTE, List.of(new RawBlob.RawSymbol("f", 0))), LoadOptions.defaults());
    }

    private static Fault faultOf(CallResult r) {
        assertThat(r).isInstanceOf(CallResult.Faulted.class);
        return ((CallResult.Faulted) r).fault();
    }

    private static long valueOf(CallResult r) {
        assertThat(r).isInstanceOf(CallResult.Returned.class);
        return ((CallResult.Returned) r).value();
    }

    /**
     * {@code 1: ud2; jmp 1b} with a handler that steps over the ud2: every trap restarts emulation. The wall-clock
     * guard covers the whole call, not each restart (which used to let this run for over six minutes).
     */
    @Test
    void theWallClockGuardCoversTheWholeCallAcrossHandledTraps() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withInstructionBudget(0).withTimeout(Duration.ofMillis(200));
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "0f0b ebfc"), opts)) {
            m.addExceptionHandler((machine, e) -> {
                machine.engine().setPc(e.pc() + 2);
                return true;
            });
            Fault f = faultOf(m.call(GuestCall.of("f")));

            assertThat(f.kind()).isEqualTo(Fault.Kind.TIMEOUT);
            assertThat(f.detail()).isEqualTo(
                    "wall-clock guard of 200 ms elapsed before the call ended (inconclusive: the run has no verdict)");
            assertThat(f.location()).startsWith("f");
        }
    }

    /** {@code 1: mov byte [rdi], 1; add rdi, 4096; jmp 1b}: a guest touching one new page after another. */
    @Test
    void lenientModeStopsAtItsPageLimitWithAClearFault() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withLenient(true).withMaxLenientPages(3);
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "c60701 4881c700100000 ebf4"), opts)) {
            Fault f = faultOf(m.call(GuestCall.of("f", 0x3000_0000L)));

            assertThat(f.kind()).isEqualTo(Fault.Kind.UNMAPPED_ACCESS);
            assertThat(f.address()).isEqualTo(0x3000_3000L);
            assertThat(f.detail()).isEqualTo("write of 1 byte(s) at 0x30003000 (lenient page limit 3 reached)");
            assertThat(m.lenientPages()).containsExactly(0x3000_0000L, 0x3000_1000L, 0x3000_2000L);
        }
    }

    @Test
    void theDefaultLenientLimitBoundsAGuestThatTouchesEveryPage() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withLenient(true);
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "c60701 4881c700100000 ebf4"), opts)) {
            Fault f = faultOf(m.call(GuestCall.of("f", 0x1_0000_0000L)));

            assertThat(f.detail()).endsWith("(lenient page limit 256 reached)");
            assertThat(m.lenientPages()).hasSize(256);
        }
    }

    @Test
    void lenientPageLimitIsValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> MachineOptions.defaults().withMaxLenientPages(MachineOptions.MAX_LENIENT_PAGES + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lenient page limit");
    }

    /** {@code mov rax, [rdi]; ret} on the last 4 bytes of the heap: the access runs into the next page. */
    @Test
    void lenientModeMapsThePageAnAccessRunsInto() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withLenient(true);
        long heapEnd = MemoryLayout.HEAP_BASE + opts.heapSize();
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "488b07 c3"), opts)) {
            assertThat(valueOf(m.call(GuestCall.of("f", heapEnd - 4)))).isZero();
            assertThat(m.lenientPages()).containsExactly(heapEnd);
        }
    }

    @Test
    void lenientModeNeverMapsTheStackGuardPage() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withLenient(true);
        long guard = MemoryLayout.STACK_TOP - opts.stackSize() - MemoryLayout.PAGE;
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "488b07 c3"), opts)) {
            Fault f = faultOf(m.call(GuestCall.of("f", guard + 8)));

            assertThat(f.detail()).isEqualTo("read of 8 byte(s) at 0x" + Long.toHexString(guard + 8)
                    + " (stack guard page: stack overflow)");
            assertThat(m.lenientPages()).isEmpty();
        }
    }

    @Test
    void anImageOverlappingTheMachinesOwnAreasIsRejectedClearly() throws Exception {
        GuestImage atHeap = ImageLoader.loadRaw(new RawBlob("fw.bin", new byte[] {(byte) 0xc3}, Arch.X86_64,
                MemoryLayout.HEAP_BASE, Permissions.READ_EXECUTE, List.of()), LoadOptions.defaults());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GuestMachine.create(atHeap, MachineOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fw.bin: segment blob at 0x60000000-0x60000fff overlaps the machine's scratch heap at"
                        + " 0x60000000-0x600fffff; load the image at another base address");
    }

    @Test
    void theImageCapStaysWithinWhatOneSegmentCanHold() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadOptions.defaults().withMaxImageSize(8L << 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image cap must be 1 to 1073741824 bytes, got 8589934592");
    }

    /** {@code nop; hlt; ret}: a halt is not mistaken for the budget running out. */
    @Test
    void hltEndsTheCallAsAHaltNotAsAnExhaustedBudget() throws Exception {
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "90 f4 c3"), MachineOptions.defaults())) {
            Fault f = faultOf(m.call(GuestCall.of("f")));

            assertThat(f.kind()).isEqualTo(Fault.Kind.EMULATOR_ERROR);
            assertThat(f.detail()).isEqualTo("hlt at f+0x1 halted the CPU before the function returned");
        }
    }

    /** {@code 1: jmp 1b} under a budget too small to watch it: the budget runs out. */
    @Test
    void anEndlessLoopEndsWithTheBudget() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withInstructionBudget(1000);
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "ebfe"), opts)) {
            Fault f = faultOf(m.call(GuestCall.of("f")));

            assertThat(f.kind()).isEqualTo(Fault.Kind.BUDGET_EXHAUSTED);
            assertThat(f.detail()).isEqualTo("instruction budget of 1000 exhausted");
        }
    }

    /** {@code 1: jmp 1b}: the state repeats, so the call is proven endless long before the budget. */
    @Test
    void aLoopBackToTheSameStateIsProvenEndless() throws Exception {
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "ebfe"), MachineOptions.defaults())) {
            Fault f = faultOf(m.call(GuestCall.of("f")));

            assertThat(f.kind()).isEqualTo(Fault.Kind.ENDLESS_LOOP);
            assertThat(f.location()).isEqualTo("f");
            assertThat(f.detail()).startsWith("the call never ends: every 1 instructions it is back in the same state");
            assertThat(m.instructionsExecuted()).isLessThan(3 * LoopWatch.FIRST_WATCH);
        }
    }

    /**
     * A walk of a list whose {@code next} pointers are zero (arm64 {@code 1: ldr x0, [x0]; b 1b} from a zeroed
     * buffer: {@code next} is 0, and lenient memory at 0 reads zeros again): endless.
     */
    @Test
    void aWalkOverAZeroedListIsProvenEndless() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withLenient(true);
        try (GuestMachine m = GuestMachine.create(blob(Arch.ARM64, "000040f9 ffffff17"), opts)) {
            Fault f = faultOf(m.call(new GuestCall("f", java.util.List.of(Argument.Buffer.zeroed(64)))));

            assertThat(f.kind()).isEqualTo(Fault.Kind.ENDLESS_LOOP);
            assertThat(f.detail()).contains("every 2 instructions");
        }
    }

    /** {@code 1: inc qword ptr [rdi]; jmp 1b}: memory changes every round, so only the budget ends it. */
    @Test
    void aLoopThatChangesMemoryIsNotCalledEndless() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withInstructionBudget(100_000);
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "48ff07 ebfb"), opts)) {
            Fault f = faultOf(m.call(new GuestCall("f", java.util.List.of(Argument.Buffer.zeroed(8)))));

            assertThat(f.kind()).isEqualTo(Fault.Kind.BUDGET_EXHAUSTED);
            assertThat(m.instructionsExecuted()).isEqualTo(100_000);
        }
    }

    /**
     * {@code 1: inc rax; inc rax; inc rax; jmp 1b}: the budget cut is exact to the instruction, also inside a
     * translation block: 1001 instructions are 250 loops and one {@code inc}.
     */
    @Test
    void theBudgetCutsExactlyInsideTheLastBlock() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withInstructionBudget(1001);
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "48ffc0 48ffc0 48ffc0 ebf5"), opts)) {
            CallResult r = m.call(GuestCall.of("f"));
            Fault f = faultOf(r);

            assertThat(f.kind()).isEqualTo(Fault.Kind.BUDGET_EXHAUSTED);
            assertThat(m.instructionsExecuted()).isEqualTo(1001);
            assertThat(r.registers().get(io.hvprobe.arch.X86Register.RAX)
                    - GuestMachine.initialValue(io.hvprobe.arch.X86Register.RAX)).isEqualTo(751);
            assertThat(f.location()).isEqualTo("f+0x3");
        }
    }

    /** The same loop on arm64 ({@code add x0, x0, #1} three times, {@code b} back): 1001 instructions, x0 = 751. */
    @Test
    void theBudgetCutsExactlyInsideTheLastBlockOnArm64() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withInstructionBudget(1001);
        try (GuestMachine m = GuestMachine.create(
                blob(Arch.ARM64, "00040091 00040091 00040091 fdffff17"), opts)) {
            CallResult r = m.call(GuestCall.of("f"));

            assertThat(faultOf(r).kind()).isEqualTo(Fault.Kind.BUDGET_EXHAUSTED);
            assertThat(m.instructionsExecuted()).isEqualTo(1001);
            assertThat(r.registers().get(io.hvprobe.arch.Arm64Register.X0)
                    - GuestMachine.initialValue(io.hvprobe.arch.Arm64Register.X0)).isEqualTo(751);
            assertThat(faultOf(r).location()).isEqualTo("f+0x4");
        }
    }

    /**
     * {@code nop; nop; ret}, called twice: a code hook added after the first call translated the function is called
     * at each of its instructions in the second (Unicorn 2.0.1 puts hook calls into code as it translates it).
     */
    @Test
    void aCodeHookAddedAfterTheCodeRanIsCalledAtEveryInstruction() throws Exception {
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "90 90 c3"), MachineOptions.defaults())) {
            assertThat(m.call(GuestCall.of("f"))).isInstanceOf(CallResult.Returned.class);
            List<Long> seen = new ArrayList<>();
            m.instrumentation().hookCode(1, 0, (address, size) -> seen.add(address));

            assertThat(m.call(GuestCall.of("f"))).isInstanceOf(CallResult.Returned.class);
            assertThat(seen).hasSize(3);
        }
    }

    /** {@code nop; nop; mov rax, [rdi]; ret}: the fault names the instruction, its pc and all registers. */
    @Test
    void aFaultCarriesPcLocationDisassemblyAndRegisters() throws Exception {
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "9090 488b07 c3"), MachineOptions.defaults())) {
            Fault f = faultOf(m.call(GuestCall.of("f", 0x10)));

            assertThat(f.pc()).isEqualTo(BASE + 2);
            assertThat(f.location()).isEqualTo("f+0x2");
            assertThat(f.instruction()).isEqualTo("mov rax, qword ptr [rdi]");
            assertThat(f.registers().get(io.hvprobe.arch.X86Register.RDI)).isEqualTo(0x10);
            assertThat(f.describe()).isEqualTo(
                    "unmapped access at f+0x2 (mov rax, qword ptr [rdi]): read of 8 byte(s) at 0x10");
        }
    }

    /** {@code mov rax, gs:[40]; ret}: the kernel stack-protector canary slot. */
    @Test
    void x86GsBasePointsAtThePerCpuAreaWithTheCanaryAt40() throws Exception {
        MachineOptions opts = MachineOptions.defaults();
        try (GuestMachine m = GuestMachine.create(blob(Arch.X86_64, "65488b042528000000 c3"), opts)) {
            assertThat(valueOf(m.call(GuestCall.of("f")))).isEqualTo(opts.stackCanary());
        }
    }

    /** {@code mrs x0, sp_el0; ldr x0, [x0, #0x5b8]; ret}: an arm64 kernel canary in the current task. */
    @Test
    void arm64SpEl0PointsAtCanariesForAnyTaskOffset() throws Exception {
        MachineOptions opts = MachineOptions.defaults();
        try (GuestMachine m = GuestMachine.create(blob(Arch.ARM64, "004138d5 00dc42f9 c0035fd6"), opts)) {
            assertThat(valueOf(m.call(GuestCall.of("f")))).isEqualTo(opts.stackCanary());
        }
    }

    /** {@code mrs x1, tpidr_el1; ldr x0, [x1, #40]; ret}: the per-CPU base. */
    @Test
    void arm64TpidrEl1PointsAtThePerCpuArea() throws Exception {
        MachineOptions opts = MachineOptions.defaults();
        try (GuestMachine m = GuestMachine.create(blob(Arch.ARM64, "81d038d5 201440f9 c0035fd6"), opts)) {
            assertThat(valueOf(m.call(GuestCall.of("f")))).isEqualTo(opts.stackCanary());
        }
    }

    /** {@code mrs x0, CurrentEL; ret}: arm64 guests run at EL1, as the documentation says. */
    @Test
    void arm64CodeRunsAtEl1() throws Exception {
        try (GuestMachine m = GuestMachine.create(blob(Arch.ARM64, "404238d5 c0035fd6"), MachineOptions.defaults())) {
            assertThat(valueOf(m.call(GuestCall.of("f"))) >>> 2 & 3).as("CurrentEL.EL").isEqualTo(1);
        }
    }
}
