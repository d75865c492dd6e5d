package io.hvprobe.api;

import io.hvprobe.elf.Toolchain;
import io.hvprobe.loader.GuestSymbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Which functions {@code check} starts from: the callers of a non-inlined static wrapper, not the wrapper. */
class TrapReachTest {
    private static final String SOURCE = """
            __attribute__((noinline)) static unsigned hc(unsigned cmd) {
                unsigned eax = 0x564D5868, ebx = 0, ecx = cmd, edx = 0x5658;
                __asm__ volatile("inl %%dx, %%eax" : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx));
                return ebx;
            }
            __attribute__((noinline)) static unsigned middle(void) { return hc(10) + 1; }
            unsigned get_version(void) { return hc(10); }
            unsigned get_hz(void) { return middle() + hc(45); }
            __attribute__((noinline)) static unsigned by_pointer(void) {
                unsigned eax = 0x564D5868, ecx = 1, edx = 0x5658;
                __asm__ volatile("inl %%dx, %%eax" : "+a"(eax), "+c"(ecx), "+d"(edx));
                return eax;
            }
            unsigned (*hook)(void) = by_pointer;
            int plain(int a) { return a * 3; }
            """;

    private static List<String> names(List<GuestSymbol> symbols) {
        return symbols.stream().map(GuestSymbol::name).toList();
    }

    @Test
    void entriesAreTheCallersOfAStaticWrapperPlusWhatNothingCalls(@TempDir Path dir) throws Exception {
        assumeTrue(Toolchain.onPath("gcc"), "gcc not installed");
        Path src = dir.resolve("reach.c");
        Files.writeString(src, SOURCE);
        Path obj = dir.resolve("reach.o");
        Toolchain.run(List.of("gcc", "-O2", "-c", src.toString(), "-o", obj.toString()));
        try (Probe probe = Probe.open(obj, ProbeOptions.defaults().withHypervisor("test-hv"))) {
            TrapReach reach = probe.trapReach();
            assertThat(names(probe.trapFunctions())).containsExactlyInAnyOrder("hc", "by_pointer");
            assertThat(names(reach.reachingFunctions()))
                    .containsExactlyInAnyOrder("hc", "middle", "get_version", "get_hz", "by_pointer");
            assertThat(names(reach.entryFunctions())).containsExactlyInAnyOrder("get_version", "get_hz", "by_pointer");
        }
    }
}
