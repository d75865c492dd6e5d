package io.hvprobe.loader;

import static io.hvprobe.loader.RelocationSites.signExtend;
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
 * Every supported AArch64 relocation type, produced deterministically by {@code reloc-arm64.s} under gcc and
 * clang: the immediate fields of the patched instruction or data word, decoded, must reach the target.
 */
class Arm64RelocationTest {
    @TempDir
    Path dir;

    /** {@code small_value} is undefined in the source; MOVW_UABS_G0 (checked) needs a value below 2^16. */
    private static final LoadOptions OPTIONS = LoadOptions.defaults()
            .withOverride("small_value", new SymbolOverride.Absolute(0x1234));

    static List<Arguments> cases() {
        Object[][] types = {{"ABS64", 257}, {"ABS32", 258}, {"PREL64", 260}, {"PREL32", 261},
                {"MOVW_UABS_G0", 263}, {"MOVW_UABS_G0_NC", 264}, {"MOVW_UABS_G1", 265}, {"MOVW_UABS_G1_NC", 266},
                {"MOVW_UABS_G2", 267}, {"MOVW_UABS_G2_NC", 268}, {"MOVW_UABS_G3", 269}, {"LD_PREL_LO19", 273},
                {"ADR_PREL_LO21", 274}, {"ADR_PREL_PG_HI21", 275}, {"ADR_PREL_PG_HI21_NC", 276},
                {"ADD_ABS_LO12_NC", 277}, {"LDST8_ABS_LO12_NC", 278}, {"TSTBR14", 279}, {"CONDBR19", 280},
                {"JUMP26", 282}, {"CALL26", 283}, {"LDST16_ABS_LO12_NC", 284}, {"LDST32_ABS_LO12_NC", 285},
                {"LDST64_ABS_LO12_NC", 286}, {"LDST128_ABS_LO12_NC", 299}, {"ADR_GOT_PAGE", 311},
                {"LD64_GOT_LO12_NC", 312}};
        List<Arguments> out = new ArrayList<>();
        for (Toolchain tc : List.of(Toolchain.GCC_ARM64, Toolchain.CLANG_ARM64)) {
            for (Object[] t : types) {
                out.add(Arguments.of(tc, "R_AARCH64_" + t[0], t[1]));
            }
        }
        return out;
    }

    private static long page(long a) {
        return a & ~0xfffL;
    }

    private static long bits(int insn, int shift, int width) {
        return (Integer.toUnsignedLong(insn) >>> shift) & ((1L << width) - 1);
    }

    /** ADR/ADRP immediate: immhi (bits 5-23) : immlo (bits 29-30), sign-extended. */
    private static long adrImmediate(int insn) {
        return signExtend(bits(insn, 5, 19) << 2 | bits(insn, 29, 2), 21);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void patchedInstructionReachesTheTarget(Toolchain tc, String name, int type) throws Exception {
        RelocationSites r = RelocationSites.of(tc, dir, "reloc-arm64.s", OPTIONS, type);
        assertThat(r.sites()).as("the source must produce %s", name).isNotEmpty();
        for (RelocationSites.Site s : r.sites()) {
            long p = s.place();
            long x = s.target();
            int insn = r.u32(p);
            switch (type) {
                case 257 -> assertThat(r.u64(p)).isEqualTo(x);
                case 258 -> assertThat(Integer.toUnsignedLong(insn)).isEqualTo(x);
                case 260 -> assertThat(p + r.u64(p)).isEqualTo(x);
                case 261 -> assertThat(p + insn).isEqualTo(x);
                case 263, 264 -> assertThat(bits(insn, 5, 16)).isEqualTo(x & 0xffff);
                case 265, 266 -> assertThat(bits(insn, 5, 16)).isEqualTo((x >>> 16) & 0xffff);
                case 267, 268 -> assertThat(bits(insn, 5, 16)).isEqualTo((x >>> 32) & 0xffff);
                case 269 -> assertThat(bits(insn, 5, 16)).isEqualTo(x >>> 48);
                case 273, 280 -> assertThat(p + (signExtend(bits(insn, 5, 19), 19) << 2)).isEqualTo(x);
                case 279 -> assertThat(p + (signExtend(bits(insn, 5, 14), 14) << 2)).isEqualTo(x);
                case 282, 283 -> assertThat(p + (signExtend(bits(insn, 0, 26), 26) << 2)).isEqualTo(x);
                case 274 -> assertThat(p + adrImmediate(insn)).isEqualTo(x);
                case 275, 276 -> assertThat(page(p) + (adrImmediate(insn) << 12)).isEqualTo(page(x));
                case 277, 278 -> assertThat(bits(insn, 10, 12)).isEqualTo(x & 0xfff);
                case 284 -> assertThat(bits(insn, 10, 12) << 1).isEqualTo(x & 0xfff);
                case 285 -> assertThat(bits(insn, 10, 12) << 2).isEqualTo(x & 0xfff);
                case 286 -> assertThat(bits(insn, 10, 12) << 3).isEqualTo(x & 0xfff);
                case 299 -> assertThat(bits(insn, 10, 12) << 4).isEqualTo(x & 0xfff);
                case 311 -> {
                    GotEntry slot = r.image().got().entry(s.name()).orElseThrow();
                    assertThat(slot.value()).isEqualTo(x);
                    assertThat(r.u64(slot.address())).isEqualTo(x);
                    assertThat(page(p) + (adrImmediate(insn) << 12)).isEqualTo(page(slot.address()));
                }
                case 312 -> {
                    GotEntry slot = r.image().got().entry(s.name()).orElseThrow();
                    assertThat(bits(insn, 10, 12) << 3).isEqualTo(slot.address() & 0xfff);
                }
                default -> throw new AssertionError(name);
            }
        }
    }
}
