package io.hvprobe.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.elf.Toolchain;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.loader.StubKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Code built the way kernels build it runs as compiled: x86_64 with retpolines and return thunks
 * ({@code -mindirect-branch=thunk-extern -mfunction-return=thunk-extern}), {@code __fentry__} calls and a
 * {@code %gs:40} stack protector; arm64 with {@code _mcount} calls and an {@code sp_el0}-relative stack protector.
 * Indirect calls reach their target through the thunks, intact canaries pass, and a smashed one ends the call in
 * {@code __stack_chk_fail}.
 */
class KernelConventionsTest {
    private static final String SOURCE = """
            typedef unsigned long u64;
            static u64 __attribute__((noinline)) twice(u64 x) { return 2 * x; }
            u64 (*volatile op)(u64) = twice;
            u64 call_indirect(u64 x) { return op(x) + 1; }
            static void __attribute__((noinline)) copy_bytes(volatile char *dst, const char *src, int n) {
                for (int i = 0; i < n; i++) dst[i] = src[i];
            }
            u64 smash(const char *src, int n) { char buf[16]; copy_bytes(buf, src, n); return buf[0]; }
            """;

    @TempDir
    Path dir;

    private GuestImage build(Toolchain tc) throws Exception {
        tc.requireAvailable();
        Path src = dir.resolve("kernel.c");
        Files.writeString(src, SOURCE, StandardCharsets.UTF_8);
        Path obj = dir.resolve("kernel-" + tc.name() + ".o");
        List<String> cmd = new ArrayList<>();
        if (tc == Toolchain.GCC_X86_64) {
            cmd.addAll(List.of("gcc", "-mcmodel=kernel", "-mno-red-zone", "-mindirect-branch=thunk-extern",
                    "-mfunction-return=thunk-extern", "-pg", "-mfentry", "-mstack-protector-guard-reg=gs",
                    "-mstack-protector-guard-offset=40"));
        } else {
            cmd.addAll(List.of("aarch64-linux-gnu-gcc", "-pg", "-mstack-protector-guard=sysreg",
                    "-mstack-protector-guard-reg=sp_el0", "-mstack-protector-guard-offset=1464"));
        }
        cmd.addAll(List.of("-c", "-O2", "-fno-pic", "-ffreestanding", "-fstack-protector-all", src.toString(), "-o",
                obj.toString()));
        Toolchain.run(cmd);
        return ImageLoader.load(obj, LoadOptions.defaults());
    }

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void indirectCallsThroughThunksReachTheirTargetWithTheCanaryIntact(Toolchain tc) throws Exception {
        GuestImage image = build(tc);
        if (tc == Toolchain.GCC_X86_64) {
            assertThat(image.stub("__x86_indirect_thunk_rax").orElseThrow().kind()).isEqualTo(StubKind.THUNK);
            assertThat(image.stub("__x86_return_thunk").orElseThrow().kind()).isEqualTo(StubKind.THUNK);
            assertThat(image.stub("__fentry__").orElseThrow().kind()).isEqualTo(StubKind.THUNK);
        } else {
            assertThat(image.stub("_mcount").orElseThrow().kind()).isEqualTo(StubKind.THUNK);
        }
        try (GuestMachine m = GuestMachine.create(image, MachineOptions.defaults())) {
            CallResult r = m.call(GuestCall.of("call_indirect", 20));

            assertThat(r).isInstanceOf(CallResult.Returned.class);
            assertThat(((CallResult.Returned) r).value()).isEqualTo(41);
            assertThat(r.stubCalls()).as("thunks are code, not recorded stubs").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Toolchain.class, names = {"GCC_X86_64", "GCC_ARM64"})
    void aSmashedCanaryEndsTheCallInStackChkFail(Toolchain tc) throws Exception {
        byte[] bytes = new byte[64];
        Arrays.fill(bytes, (byte) 'A');
        try (GuestMachine m = GuestMachine.create(build(tc), MachineOptions.defaults())) {
            CallResult fits = m.call(new GuestCall("smash", List.of(new Argument.Buffer(64, bytes), Argument.value(16))));
            assertThat(fits).isInstanceOf(CallResult.Returned.class);
            assertThat(((CallResult.Returned) fits).value()).isEqualTo('A');

            CallResult smashed = m.call(new GuestCall("smash",
                    List.of(new Argument.Buffer(64, bytes), Argument.value(64))));
            assertThat(smashed).isInstanceOf(CallResult.Faulted.class);
            Fault f = ((CallResult.Faulted) smashed).fault();
            assertThat(f.kind()).isEqualTo(Fault.Kind.STACK_PROTECTOR);
            assertThat(f.detail()).startsWith("stack protector tripped: __stack_chk_fail called from smash+0x");
            assertThat(smashed.stubCalls()).extracting(StubCall::name).containsExactly("__stack_chk_fail");
        }
    }
}
