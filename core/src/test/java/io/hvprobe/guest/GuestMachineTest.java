package io.hvprobe.guest;

import io.hvprobe.elf.Toolchain;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Compiles small C functions with each toolchain, loads them and calls them. */
class GuestMachineTest {

    private static final String SOURCE = """
            typedef unsigned long u64;
            extern u64 ext_counter(u64 a, u64 b);
            extern int ext_value;
            u64 add8(u64 a, u64 b, u64 c, u64 d, u64 e, u64 f, u64 g, u64 h) {
                return a + 2*b + 3*c + 4*d + 5*e + 6*f + 7*g + 8*h;
            }
            int fill(char *out, int n) {
                for (int i = 0; i < n; i++) out[i] = (char)('a' + i);
                return n;
            }
            u64 sum_words(const u64 *p, int n, u64 *out) {
                u64 s = 0;
                for (int i = 0; i < n; i++) s += p[i];
                *out = s * 2;
                return s;
            }
            u64 calls_external(u64 x) { return ext_counter(x, 7) + (u64)ext_value + 1; }
            u64 polls_external(u64 x, int n) { u64 s = 0; for (int i = 0; i < n; i++) s += ext_counter(x, 7); return s; }
            u64 loop_forever(volatile u64 *p) { for (;;) { (*p)++; } }
            u64 deref(u64 *p) { return *p; }
            static const char greeting[] = "hvprobe";
            u64 rodata_char(int i) { return (u64)greeting[i]; }
            static u64 counter;
            u64 bump(void) { return ++counter; }
            """;

    @TempDir
    Path dir;

    private GuestImage build(Toolchain tc, String... flags) throws Exception {
        tc.requireAvailable();
        Path src = dir.resolve("calls.c");
        Files.writeString(src, SOURCE, StandardCharsets.UTF_8);
        Path obj = dir.resolve("calls-" + tc.name() + ".o");
        List<String> cmd = new ArrayList<>(tc == Toolchain.GCC_X86_64 ? List.of("gcc")
                : tc == Toolchain.CLANG_X86_64 ? List.of("clang")
                : tc == Toolchain.GCC_ARM64 ? List.of("aarch64-linux-gnu-gcc")
                : List.of("clang", "--target=aarch64-linux-gnu"));
        cmd.addAll(List.of("-c", "-O2", "-fno-pic", "-ffreestanding", "-fno-stack-protector"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of(src.toString(), "-o", obj.toString()));
        Toolchain.run(cmd);
        return ImageLoader.load(obj, LoadOptions.defaults());
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void passesEightIntegerArgumentsAndReturnsTheResult(Toolchain tc) throws Exception {
        try (GuestMachine m = GuestMachine.create(build(tc), MachineOptions.defaults())) {
            CallResult r = m.call(GuestCall.of("add8", 1, 2, 3, 4, 5, 6, 7, 8));
            assertThat(r).isInstanceOf(CallResult.Returned.class);
            assertThat(((CallResult.Returned) r).value()).isEqualTo(1 + 4 + 9 + 16 + 25 + 36 + 49 + 64);
        }
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void pointerArgumentsAreGuestBuffersReadBackAfterTheCall(Toolchain tc) throws Exception {
        try (GuestMachine m = GuestMachine.create(build(tc), MachineOptions.defaults())) {
            CallResult r = m.call(new GuestCall("fill", List.of(Argument.Buffer.zeroed(8), Argument.value(5))));
            assertThat(((CallResult.Returned) r).value()).isEqualTo(5);
            assertThat(new String(r.buffers().get(0), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("abcde");
            assertThat(r.buffers().get(1)).isNull();

            byte[] words = new byte[24];
            java.nio.ByteBuffer.wrap(words).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(10).putLong(20).putLong(12);
            CallResult s = m.call(new GuestCall("sum_words",
                    List.of(new Argument.Buffer(24, words), Argument.value(3), Argument.Buffer.zeroed(8))));
            assertThat(((CallResult.Returned) s).value()).isEqualTo(42);
            assertThat(java.nio.ByteBuffer.wrap(s.buffers().get(2)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
                    .isEqualTo(84);
        }
    }

    @Test
    void aStubCalledAgainAlikeIsLoggedAsTheSameRecord() throws Exception {
        // A driver polling in a loop makes the same call hundreds of thousands of times: one record, logged again.
        try (GuestMachine m = GuestMachine.create(build(Toolchain.GCC_X86_64), MachineOptions.defaults())) {
            m.setStubReturn("ext_counter", 2);
            CallResult r = m.call(GuestCall.of("polls_external", 5, 3));
            assertThat(((CallResult.Returned) r).value()).isEqualTo(6);
            assertThat(r.stubCalls()).hasSize(3).allSatisfy(c -> assertThat(c).isSameAs(r.stubCalls().getFirst()));
            assertThat(r.stubCalls().getFirst().arguments().subList(0, 2)).containsExactly(5L, 7L);
        }
    }

    @Test
    void aKernelEventPastTheLogsCapIsCountedWithoutMakingItsText() throws Exception {
        try (GuestMachine m = GuestMachine.create(build(Toolchain.GCC_X86_64), MachineOptions.defaults())) {
            int[] made = {0};
            for (int i = 0; i <= GuestMachine.MAX_EVENTS; i++) {
                m.record(KernelEvent.Kind.DEVICE_IO, "poll+0x4", () -> "IN port 0x" + Integer.toHexString(++made[0]));
            }
            assertThat(m.events()).hasSize(GuestMachine.MAX_EVENTS).last()
                    .isEqualTo(new KernelEvent(KernelEvent.Kind.DEVICE_IO, "poll+0x4", "IN port 0x7d0"));
            assertThat(made[0]).isEqualTo(GuestMachine.MAX_EVENTS);
            assertThat(m.droppedEvents()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void externalFunctionsAreStubsThatRecordTheirArgumentsAndReturnAConfiguredValue(Toolchain tc) throws Exception {
        try (GuestMachine m = GuestMachine.create(build(tc), MachineOptions.defaults())) {
            m.setStubReturn("ext_counter", 100);
            CallResult r = m.call(GuestCall.of("calls_external", 5));
            assertThat(((CallResult.Returned) r).value()).isEqualTo(101); // ext_value is a zeroed data cell
            assertThat(r.stubCalls()).hasSize(1);
            StubCall c = r.stubCalls().getFirst();
            assertThat(c.name()).isEqualTo("ext_counter");
            assertThat(c.arguments().subList(0, 2)).containsExactly(5L, 7L);
            assertThat(c.caller()).startsWith("calls_external+0x");
        }
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void readsRodataThroughRelocations(Toolchain tc) throws Exception {
        try (GuestMachine m = GuestMachine.create(build(tc), MachineOptions.defaults())) {
            assertThat(((CallResult.Returned) m.call(GuestCall.of("rodata_char", 2))).value()).isEqualTo('p');
        }
    }

    @ParameterizedTest
    @EnumSource(Toolchain.class)
    void aNullDereferenceIsAFaultWithAddressLocationAndDisassembly(Toolchain tc) throws Exception {
        try (GuestMachine m = GuestMachine.create(build(tc), MachineOptions.defaults())) {
            CallResult r = m.call(GuestCall.of("deref", 0x10));
            assertThat(r).isInstanceOf(CallResult.Faulted.class);
            Fault f = ((CallResult.Faulted) r).fault();
            assertThat(f.kind()).isEqualTo(Fault.Kind.UNMAPPED_ACCESS);
            assertThat(f.address()).isEqualTo(0x10);
            assertThat(f.location()).startsWith("deref");
            assertThat(f.instruction()).isNotEqualTo("?");
            assertThat(f.describe()).contains("read of").contains("0x10");
        }
    }

    @Test
    void lenientModeMapsZeroPagesOnDemandAndRecordsThem() throws Exception {
        MachineOptions lenient = MachineOptions.defaults().withLenient(true);
        try (GuestMachine m = GuestMachine.create(build(Toolchain.GCC_X86_64), lenient)) {
            CallResult r = m.call(GuestCall.of("deref", 0x3000_0008L));
            assertThat(((CallResult.Returned) r).value()).isZero();
            assertThat(m.lenientPages()).containsExactly(0x3000_0000L);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void anEndlessLoopStopsAtTheInstructionBudget(Toolchain tc) throws Exception {
        MachineOptions opts = MachineOptions.defaults().withInstructionBudget(50_000);
        try (GuestMachine m = GuestMachine.create(build(tc), opts)) {
            CallResult r = m.call(new GuestCall("loop_forever", List.of(Argument.Buffer.zeroed(8))));
            assertThat(((CallResult.Faulted) r).fault().kind()).isEqualTo(Fault.Kind.BUDGET_EXHAUSTED);
            assertThat(((CallResult.Faulted) r).fault().location()).startsWith("loop_forever");
        }
    }

    @Test
    void anEndlessLoopWithoutBudgetStopsAtTheTimeout() throws Exception {
        MachineOptions opts = MachineOptions.defaults().withInstructionBudget(0).withTimeout(Duration.ofMillis(200));
        try (GuestMachine m = GuestMachine.create(build(Toolchain.GCC_X86_64), opts)) {
            CallResult r = m.call(new GuestCall("loop_forever", List.of(Argument.Buffer.zeroed(8))));
            assertThat(((CallResult.Faulted) r).fault().kind()).isEqualTo(Fault.Kind.TIMEOUT);
        }
    }

    @Test
    void anUnknownFunctionNamesWhatTheObjectDefines() throws Exception {
        try (GuestMachine m = GuestMachine.create(build(Toolchain.GCC_X86_64), MachineOptions.defaults())) {
            assertThatThrownBy(() -> m.call(GuestCall.of("nope")))
                    .isInstanceOf(UnknownFunctionException.class)
                    .hasMessageContaining("no function 'nope'").hasMessageContaining("add8");
        }
    }

    @Test
    void callsAreRepeatableOnOneMachine() throws Exception {
        try (GuestMachine m = GuestMachine.create(build(Toolchain.CLANG_ARM64), MachineOptions.defaults())) {
            for (int i = 0; i < 100; i++) {
                assertThat(((CallResult.Returned) m.call(GuestCall.of("add8", i, 0, 0, 0, 0, 0, 0, 0))).value())
                        .isEqualTo(i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void restoreBringsBackWritableMemoryAndRewritesOnlyChangedPages(Toolchain tc) throws Exception {
        try (GuestMachine m = GuestMachine.create(build(tc), MachineOptions.defaults())) {
            MachineSnapshot loaded = m.snapshot();
            assertThat(((CallResult.Returned) m.call(GuestCall.of("bump"))).value()).isEqualTo(1);
            assertThat(((CallResult.Returned) m.call(GuestCall.of("bump"))).value()).isEqualTo(2);
            // The .bss page holding the counter, and on x86_64 the stack page the return address went to (an
            // arm64 leaf function keeps it in x30): nothing else was written.
            int changed = tc.arch() == io.hvprobe.arch.Arch.X86_64 ? 2 : 1;
            assertThat(m.restore(loaded)).isEqualTo(changed);
            assertThat(((CallResult.Returned) m.call(GuestCall.of("bump"))).value()).isEqualTo(1);
            assertThat(m.restore(loaded)).isEqualTo(changed);
            assertThat(m.restore(loaded)).isZero();
        }
    }

    @Test
    void restoreUnmapsLenientPagesMappedSinceTheSnapshot() throws Exception {
        try (GuestMachine m = GuestMachine.create(build(Toolchain.GCC_X86_64),
                MachineOptions.defaults().withLenient(true))) {
            MachineSnapshot loaded = m.snapshot();
            m.call(GuestCall.of("deref", 0x3000_0008L));
            assertThat(m.lenientPages()).containsExactly(0x3000_0000L);
            m.restore(loaded);
            assertThat(m.lenientPages()).isEmpty();
            assertThatThrownBy(() -> m.read(0x3000_0000L, 1)).isInstanceOf(io.hvprobe.unicorn.UnicornException.class);
        }
    }

    @Test
    void restoreBringsBackRegistersACallDoesNotSetItself() throws Exception {
        try (GuestMachine m = GuestMachine.create(build(Toolchain.GCC_X86_64), MachineOptions.defaults())) {
            long fsBase = m.engine().regRead(io.hvprobe.unicorn.UcX86Reg.FS_BASE);
            MachineSnapshot loaded = m.snapshot();
            m.engine().regWrite(io.hvprobe.unicorn.UcX86Reg.FS_BASE, 0x1234_5000L);
            m.restore(loaded);
            assertThat(m.engine().regRead(io.hvprobe.unicorn.UcX86Reg.FS_BASE)).isEqualTo(fsBase);
        }
    }

    /** {@code ud2} in a loop, each one handled by moving past it: Unicorn 2.0.1 ends emulation after each. */
    private GuestMachine restartingLoop(MachineOptions options) throws Exception {
        Path obj = Toolchain.assembleX86(dir, "restart", """
                .intel_syntax noprefix
                .text
                .globl ud2_loop
                .type ud2_loop, @function
                ud2_loop:
                 mov ecx, edi
                1: ud2
                 dec ecx
                 jnz 1b
                 mov eax, 7
                 ret
                .size ud2_loop, . - ud2_loop
                """);
        GuestMachine m = GuestMachine.create(ImageLoader.load(obj, LoadOptions.defaults()), options);
        m.addExceptionHandler((machine, e) -> {
            machine.engine().setPc(e.pc() + 2);
            return e.kind() == GuestException.Kind.INVALID_INSTRUCTION;
        });
        return m;
    }

    @Test
    void theInstructionCountAndBudgetCarryAcrossRestartsAfterHandledInstructions() throws Exception {
        try (GuestMachine m = restartingLoop(MachineOptions.defaults().withInstructionBudget(50_000))) {
            // mov, 1000 x (ud2, dec, jnz), mov, ret
            assertThat(((CallResult.Returned) m.call(GuestCall.of("ud2_loop", 1000))).value()).isEqualTo(7);
            assertThat(m.instructionsExecuted()).isEqualTo(3003);
            // 100,000 restarts: each used to get a fresh budget of 50,000, so the call ran to its end.
            CallResult r = m.call(GuestCall.of("ud2_loop", 100_000));
            assertThat(((CallResult.Faulted) r).fault().kind()).isEqualTo(Fault.Kind.BUDGET_EXHAUSTED);
            assertThat(m.instructionsExecuted()).isEqualTo(50_000);
        }
    }

    @Test
    void aSmallerLimitPerCallCapsTheBudget() throws Exception {
        try (GuestMachine m = restartingLoop(MachineOptions.defaults())) {
            CallResult r = m.call(GuestCall.of("ud2_loop", 1000), 600);
            assertThat(((CallResult.Faulted) r).fault().describe()).contains("instruction budget of 600 exhausted");
            assertThat(m.instructionsExecuted()).isEqualTo(600);
        }
    }
}
