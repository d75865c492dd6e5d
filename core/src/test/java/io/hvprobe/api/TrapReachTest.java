package io.hvprobe.api;

import io.hvprobe.elf.ElfBuilder;
import io.hvprobe.elf.ElfConstants;
import io.hvprobe.elf.Toolchain;
import io.hvprobe.loader.GuestImage;
import io.hvprobe.loader.ImageLoader;
import io.hvprobe.loader.LoadOptions;
import io.hvprobe.loader.SymbolTable;
import io.hvprobe.loader.GuestSymbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * A symbol claiming 2 GiB (as a hostile {@code st_size} did before the loader checked extents) is swept only
     * over the bytes the image holds: the call in it is still found, and nothing allocates {@code st_size} bytes.
     */
    @Test
    void aFunctionClaimingMoreThanTheImageHoldsIsSweptWhereItIsMapped() throws Exception {
        ElfBuilder b = ElfBuilder.relocatable(ElfConstants.EM_X86_64);
        // g: in eax, dx; ret      f: call g; ret
        int text = b.section(".text", ElfConstants.SHT_PROGBITS, ElfConstants.SHF_ALLOC | ElfConstants.SHF_EXECINSTR,
                new byte[] {(byte) 0xed, (byte) 0xc3, (byte) 0xe8, (byte) 0xf9, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xc3});
        int strtab = b.section(".strtab", ElfConstants.SHT_STRTAB, 0, ElfBuilder.strings("g", "f"));
        int symtab = b.section(".symtab", ElfConstants.SHT_SYMTAB, 0, ElfBuilder.concat(new byte[24],
                ElfBuilder.symbol(1, 0x02, text, 0, 2), ElfBuilder.symbol(3, 0x12, text, 2, 6)));
        b.get(symtab).link = strtab;
        b.get(symtab).info = 2;
        b.get(symtab).entrySize = 24;
        GuestImage loaded = ImageLoader.load("huge.o", b.build(), LoadOptions.defaults());
        List<GuestSymbol> symbols = loaded.symbols().all().stream()
                .map(s -> s.name().equals("f") ? new GuestSymbol("f", s.address(), Integer.MAX_VALUE, s.type(),
                        s.binding(), s.section()) : s).toList();
        GuestImage image = new GuestImage(loaded.arch(), loaded.name(), loaded.kind(), loaded.entryPoint(),
                loaded.segments(), loaded.sections(), new SymbolTable(symbols, loaded.stubs()), loaded.stubs(),
                loaded.got());

        try (Probe probe = Probe.open("huge.o", image, ProbeOptions.defaults().withHypervisor("test-hv"))) {
            TrapReach reach = probe.trapReach();
            assertThat(names(reach.reachingFunctions())).containsExactly("g", "f");
            assertThat(names(reach.entryFunctions())).containsExactly("f");
        }
    }

    @Test
    void entriesAreTheCallersOfAStaticWrapperPlusWhatNothingCalls(@TempDir Path dir) throws Exception {
        assertTrue(Toolchain.onPath("gcc"), "gcc not installed: scripts/test installs it");
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

    /**
     * A stripped shared object has no symbol for its {@code static} functions: the wrapper holding the trap is
     * recovered from the call that reaches it, so its exported caller is the entry and reaches the site.
     */
    @Test
    void aStrippedObjectsStaticWrapperIsRecoveredFromItsCaller(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("reach.c");
        Files.writeString(src, SOURCE);
        Path so = dir.resolve("reach.so");
        Toolchain.run(List.of("gcc", "-O2", "-shared", "-fPIC", "-s", src.toString(), "-o", so.toString()));
        try (Probe probe = Probe.open(so, ProbeOptions.defaults().withHypervisor("test-hv"))) {
            TrapReach reach = probe.trapReach();
            GuestSymbol hc = reach.reachingFunctions().stream()
                    .filter(f -> f.binding() == io.hvprobe.loader.SymbolBinding.LOCAL).findFirst().orElseThrow();
            assertThat(hc.name()).startsWith(".text+0x");
            assertThat(names(reach.functionsReaching(hc.address()))).contains("get_version", "get_hz");
            assertThat(names(reach.entryFunctions())).containsExactlyInAnyOrder("get_version", "get_hz")
                    .doesNotContain(hc.name());
        }
    }
}
