package io.hvprobe.guest;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.X86Register;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Site hooks ({@link Instrumentation#hookSite}) are in the engine only while a call reaches them, and still run
 * before the other code listeners at their instruction.
 */
class SiteHooksTest {
    /** {@code site_fn} returns 1 unless the hook at its second instruction (a nop) changes that; {@code spin} loops. */
    private static final String X86_SOURCE = """
            .text
            .globl site_fn, spin
            site_fn: mov $1, %eax
            site:    nop
                     ret
            spin:    mov $1000, %ecx
            1:       dec %ecx
                     jnz 1b
                     ret
            """;
    private static final String ARM64_SOURCE = """
            .text
            .globl site_fn, spin
            site_fn: mov w0, #1
            site:    nop
                     ret
            spin:    mov w1, #1000
            1:       subs w1, w1, #1
                     b.ne 1b
                     ret
            """;

    @TempDir
    Path dir;

    enum Gcc {
        X86_64(Toolchain.GCC_X86_64, X86_SOURCE), ARM64(Toolchain.GCC_ARM64, ARM64_SOURCE);

        final Toolchain toolchain;
        final String source;

        Gcc(Toolchain toolchain, String source) {
            this.toolchain = toolchain;
            this.source = source;
        }
    }

    private GuestImage build(Gcc gcc) throws Exception {
        gcc.toolchain.requireAvailable();
        Path src = dir.resolve("sites-" + gcc + ".S");
        Files.writeString(src, gcc.source);
        Path obj = dir.resolve("sites-" + gcc + ".o");
        List<String> cmd = new ArrayList<>(gcc == Gcc.X86_64 ? List.of("gcc") : List.of("aarch64-linux-gnu-gcc"));
        cmd.addAll(List.of("-c", src.toString(), "-o", obj.toString()));
        Toolchain.run(cmd);
        return ImageLoader.load(obj, LoadOptions.defaults());
    }

    @ParameterizedTest
    @EnumSource(Gcc.class)
    void aSiteHookIsInTheEngineOnlyWhileACallReachesItAndRunsBeforeObservers(Gcc gcc) throws Exception {
        try (GuestMachine m = GuestMachine.create(build(gcc), MachineOptions.defaults())) {
            EngineInstrumentation in = (EngineInstrumentation) m.instrumentation();
            boolean x86 = m.arch() == Arch.X86_64;
            long site = m.image().address("site_fn").orElseThrow() + (x86 ? 5 : 4);
            int siteLength = x86 ? 1 : 4;
            List<Integer> installedAtSite = new ArrayList<>();
            in.hookSite(site, (address, size) -> {
                installedAtSite.add(in.installedSites());
                // Skip the nop and make the function return 7, as a trap handler answers a hypercall.
                in.regWrite(x86 ? X86Register.RAX : Arm64Register.X0, 7);
                in.regWrite(m.arch().programCounter(), site + siteLength);
            });
            List<Long> observed = new ArrayList<>();
            long text = m.image().address("site_fn").orElseThrow();
            in.hookCode(text, text + 0x40, (address, size) -> observed.add(address));

            CallResult spin = m.call(GuestCall.of("spin"));
            assertThat(spin).isInstanceOf(CallResult.Returned.class);
            assertThat(in.installedSites()).as("a call that never reaches the site never installs it").isZero();

            for (int call = 0; call < 2; call++) {
                observed.clear();
                CallResult r = m.call(GuestCall.of("site_fn"));
                assertThat(((CallResult.Returned) r).value()).isEqualTo(7);
                assertThat(observed).as("the observer never sees the skipped site instruction")
                        .containsExactly(text, site + siteLength);
                // The first block (mov, nop, ret) counts whole, as any block a skipped trap leaves, then the ret's
                // block: 4. Its entry left unrun for the hook to be installed is not counted (that would be 7).
                assertThat(m.instructionsExecuted()).isEqualTo(4);
            }
            assertThat(installedAtSite).as("installed on reach in each call, taken out between calls")
                    .containsExactly(1, 1);
            m.call(GuestCall.of("spin"));
            assertThat(in.installedSites()).isZero();
        }
    }
}
