package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.hvprobe.elf.Toolchain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every supported x86_64 relocation type, produced deterministically by {@code reloc-x86_64.s} under gcc and
 * clang: the patched field, decoded, must reach the symbol's final address.
 */
class X86RelocationTest {
    @TempDir
    Path dir;

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Toolchain tc : List.of(Toolchain.GCC_X86_64, Toolchain.CLANG_X86_64)) {
            for (Object[] t : new Object[][] {{"R_X86_64_64", 1}, {"R_X86_64_PC32", 2}, {"R_X86_64_PLT32", 4},
                    {"R_X86_64_GOTPCREL", 9}, {"R_X86_64_32", 10}, {"R_X86_64_32S", 11}, {"R_X86_64_PC64", 24},
                    {"R_X86_64_GOTPCRELX", 41}, {"R_X86_64_REX_GOTPCRELX", 42}}) {
                out.add(Arguments.of(tc, t[0], t[1]));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void patchedFieldReachesTheSymbol(Toolchain tc, String name, int type) throws Exception {
        RelocationSites r = RelocationSites.of(tc, dir, "reloc-x86_64.s", LoadOptions.defaults(), type);
        assertThat(r.sites()).as("the source must produce %s", name).isNotEmpty();
        for (RelocationSites.Site s : r.sites()) {
            switch (type) {
                case 1 -> assertThat(r.u64(s.place())).isEqualTo(s.target());
                case 24 -> assertThat(s.place() + r.u64(s.place())).isEqualTo(s.target());
                // rel32: the CPU adds the displacement to the next instruction's address (P + 4); A is -4
                case 2, 4 -> assertThat(s.place() + r.u32(s.place()) - s.addend()).isEqualTo(s.symbol());
                case 10 -> assertThat(Integer.toUnsignedLong(r.u32(s.place()))).isEqualTo(s.target());
                case 11 -> assertThat((long) r.u32(s.place())).isEqualTo(s.target());
                case 9, 41, 42 -> {
                    long slot = s.place() + r.u32(s.place()) - s.addend();
                    assertThat(r.u64(slot)).as("GOT slot holds the symbol").isEqualTo(s.symbol());
                    assertThat(r.image().got().entries()).extracting(GotEntry::address).contains(slot);
                }
                default -> throw new AssertionError(name);
            }
        }
    }
}
