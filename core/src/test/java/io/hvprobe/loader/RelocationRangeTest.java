package io.hvprobe.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The overflow and alignment checks of every checked relocation type, at the exact edges of its range (psABI for
 * x86_64, AAELF64 for AArch64): the last value in range is written, the first one out is an error naming the
 * value. {@link X86RelocationTest} and {@link Arm64RelocationTest} cover the in-range arithmetic on real objects.
 */
class RelocationRangeTest {
    private static final long P = 0x1000_0000L;
    private static final long GOT = 0x2000_0000L;
    private static final int NOP = 0xd503201f;

    /** One application: relocation {@code type} with S+A (or G+A for GOT types) = {@code target}. */
    private record Case(Relocator relocator, int type, long target) {
        /** The patched word (or low word of a 64-bit field). */
        int apply() throws RelocationError {
            byte[] buf = new byte[8];
            Relocator.put32(buf, 0, relocator instanceof Arm64Relocator ? NOP : 0);
            relocator.apply(type, buf, 0, P, target, 0, target);
            return Relocator.get32(buf, 0);
        }
    }

    private static final X86Relocator X86 = new X86Relocator();
    private static final Arm64Relocator ARM = new Arm64Relocator();

    private static Arguments fits(String name, Relocator r, int type, long target) {
        return Arguments.of(name + " " + Long.toHexString(target) + " fits", new Case(r, type, target), null);
    }

    private static Arguments fails(String name, Relocator r, int type, long target, String problem) {
        return Arguments.of(name + " " + Long.toHexString(target) + " fails", new Case(r, type, target), problem);
    }

    static List<Arguments> edges() {
        return List.of(
                // x86_64: 32 is zero-extended, 32S sign-extended, PC32/PLT32/GOTPCREL* are signed displacements.
                fits("R_X86_64_32", X86, X86Relocator.R_32, 0xffff_ffffL),
                fails("R_X86_64_32", X86, X86Relocator.R_32, 0x1_0000_0000L, "does not fit in unsigned 32 bits"),
                fails("R_X86_64_32", X86, X86Relocator.R_32, -1, "does not fit in unsigned 32 bits"),
                fits("R_X86_64_32S", X86, X86Relocator.R_32S, 0x7fff_ffffL),
                fits("R_X86_64_32S", X86, X86Relocator.R_32S, -0x8000_0000L),
                fails("R_X86_64_32S", X86, X86Relocator.R_32S, 0x8000_0000L, "does not fit in signed 32 bits"),
                fails("R_X86_64_32S", X86, X86Relocator.R_32S, -0x8000_0001L, "does not fit in signed 32 bits"),
                fits("R_X86_64_PC32", X86, X86Relocator.PC32, P + 0x7fff_ffffL),
                fits("R_X86_64_PC32", X86, X86Relocator.PC32, P - 0x8000_0000L),
                fails("R_X86_64_PC32", X86, X86Relocator.PC32, P + 0x8000_0000L, "does not fit in signed 32 bits"),
                fails("R_X86_64_PC32", X86, X86Relocator.PC32, P - 0x8000_0001L, "does not fit in signed 32 bits"),
                fits("R_X86_64_PLT32", X86, X86Relocator.PLT32, P - 0x8000_0000L),
                fails("R_X86_64_PLT32", X86, X86Relocator.PLT32, P + 0x8000_0000L, "does not fit in signed 32 bits"),
                fits("R_X86_64_GOTPCREL", X86, X86Relocator.GOTPCREL, P + 0x7fff_ffffL),
                fails("R_X86_64_GOTPCREL", X86, X86Relocator.GOTPCREL, P + 0x8000_0000L, "signed 32 bits"),
                fails("R_X86_64_GOTPCRELX", X86, X86Relocator.GOTPCRELX, P - 0x8000_0001L, "signed 32 bits"),
                fails("R_X86_64_REX_GOTPCRELX", X86, X86Relocator.REX_GOTPCRELX, P + 0x8000_0000L, "signed 32 bits"),
                fits("R_X86_64_64", X86, X86Relocator.R_64, -1),
                fits("R_X86_64_PC64", X86, X86Relocator.PC64, Long.MIN_VALUE),
                // AArch64 data: ABS32/PREL32 accept -2^31 <= X < 2^32.
                fits("R_AARCH64_ABS32", ARM, Arm64Relocator.ABS32, 0xffff_ffffL),
                fits("R_AARCH64_ABS32", ARM, Arm64Relocator.ABS32, -0x8000_0000L),
                fails("R_AARCH64_ABS32", ARM, Arm64Relocator.ABS32, 0x1_0000_0000L, "does not fit in 32 bits"),
                fails("R_AARCH64_ABS32", ARM, Arm64Relocator.ABS32, -0x8000_0001L, "does not fit in 32 bits"),
                fits("R_AARCH64_PREL32", ARM, Arm64Relocator.PREL32, P + 0xffff_ffffL),
                fails("R_AARCH64_PREL32", ARM, Arm64Relocator.PREL32, P - 0x8000_0001L, "does not fit in 32 bits"),
                // MOVW_UABS_Gn check 0 <= X < 2^(16(n+1)); the _NC forms and G3 do not check.
                fits("R_AARCH64_MOVW_UABS_G0", ARM, Arm64Relocator.MOVW_UABS_G0, 0xffff),
                fails("R_AARCH64_MOVW_UABS_G0", ARM, Arm64Relocator.MOVW_UABS_G0, 0x1_0000, "unsigned 16 bits"),
                fails("R_AARCH64_MOVW_UABS_G0", ARM, Arm64Relocator.MOVW_UABS_G0, -1, "unsigned 16 bits"),
                fits("R_AARCH64_MOVW_UABS_G0_NC", ARM, Arm64Relocator.MOVW_UABS_G0_NC, -1),
                fits("R_AARCH64_MOVW_UABS_G1", ARM, Arm64Relocator.MOVW_UABS_G1, 0xffff_ffffL),
                fails("R_AARCH64_MOVW_UABS_G1", ARM, Arm64Relocator.MOVW_UABS_G1, 0x1_0000_0000L, "unsigned 32 bits"),
                fits("R_AARCH64_MOVW_UABS_G1_NC", ARM, Arm64Relocator.MOVW_UABS_G1_NC, -1),
                fits("R_AARCH64_MOVW_UABS_G2", ARM, Arm64Relocator.MOVW_UABS_G2, (1L << 48) - 1),
                fails("R_AARCH64_MOVW_UABS_G2", ARM, Arm64Relocator.MOVW_UABS_G2, 1L << 48, "unsigned 48 bits"),
                fits("R_AARCH64_MOVW_UABS_G2_NC", ARM, Arm64Relocator.MOVW_UABS_G2_NC, -1),
                fits("R_AARCH64_MOVW_UABS_G3", ARM, Arm64Relocator.MOVW_UABS_G3, -1),
                // Branches and literal loads: signed word displacements.
                fits("R_AARCH64_CALL26", ARM, Arm64Relocator.CALL26, P + (1L << 27) - 4),
                fits("R_AARCH64_CALL26", ARM, Arm64Relocator.CALL26, P - (1L << 27)),
                fails("R_AARCH64_CALL26", ARM, Arm64Relocator.CALL26, P + (1L << 27), "signed 28 bits"),
                fails("R_AARCH64_CALL26", ARM, Arm64Relocator.CALL26, P - (1L << 27) - 4, "signed 28 bits"),
                fails("R_AARCH64_CALL26", ARM, Arm64Relocator.CALL26, P + 2, "not a multiple of 4"),
                fails("R_AARCH64_JUMP26", ARM, Arm64Relocator.JUMP26, P + (1L << 27), "signed 28 bits"),
                fits("R_AARCH64_CONDBR19", ARM, Arm64Relocator.CONDBR19, P + (1L << 20) - 4),
                fits("R_AARCH64_CONDBR19", ARM, Arm64Relocator.CONDBR19, P - (1L << 20)),
                fails("R_AARCH64_CONDBR19", ARM, Arm64Relocator.CONDBR19, P + (1L << 20), "signed 21 bits"),
                fails("R_AARCH64_CONDBR19", ARM, Arm64Relocator.CONDBR19, P - (1L << 20) - 4, "signed 21 bits"),
                fails("R_AARCH64_LD_PREL_LO19", ARM, Arm64Relocator.LD_PREL_LO19, P + (1L << 20), "signed 21 bits"),
                fails("R_AARCH64_LD_PREL_LO19", ARM, Arm64Relocator.LD_PREL_LO19, P + 6, "not a multiple of 4"),
                fits("R_AARCH64_TSTBR14", ARM, Arm64Relocator.TSTBR14, P + (1L << 15) - 4),
                fits("R_AARCH64_TSTBR14", ARM, Arm64Relocator.TSTBR14, P - (1L << 15)),
                fails("R_AARCH64_TSTBR14", ARM, Arm64Relocator.TSTBR14, P + (1L << 15), "signed 16 bits"),
                fails("R_AARCH64_TSTBR14", ARM, Arm64Relocator.TSTBR14, P - (1L << 15) - 4, "signed 16 bits"),
                // ADR: byte displacement of +-1 MiB; ADRP: page displacement of +-4 GiB.
                fits("R_AARCH64_ADR_PREL_LO21", ARM, Arm64Relocator.ADR_PREL_LO21, P + (1L << 20) - 1),
                fits("R_AARCH64_ADR_PREL_LO21", ARM, Arm64Relocator.ADR_PREL_LO21, P - (1L << 20)),
                fails("R_AARCH64_ADR_PREL_LO21", ARM, Arm64Relocator.ADR_PREL_LO21, P + (1L << 20), "signed 21 bits"),
                fails("R_AARCH64_ADR_PREL_LO21", ARM, Arm64Relocator.ADR_PREL_LO21, P - (1L << 20) - 1,
                        "signed 21 bits"),
                fits("R_AARCH64_ADR_PREL_PG_HI21", ARM, Arm64Relocator.ADR_PREL_PG_HI21, P + (1L << 32) - 1),
                fits("R_AARCH64_ADR_PREL_PG_HI21", ARM, Arm64Relocator.ADR_PREL_PG_HI21, P - (1L << 32)),
                fails("R_AARCH64_ADR_PREL_PG_HI21", ARM, Arm64Relocator.ADR_PREL_PG_HI21, P + (1L << 32),
                        "signed 33 bits"),
                fails("R_AARCH64_ADR_PREL_PG_HI21", ARM, Arm64Relocator.ADR_PREL_PG_HI21, P - (1L << 32) - 1,
                        "signed 33 bits"),
                fits("R_AARCH64_ADR_PREL_PG_HI21_NC", ARM, Arm64Relocator.ADR_PREL_PG_HI21_NC, P + (1L << 40)),
                fits("R_AARCH64_ADR_GOT_PAGE", ARM, Arm64Relocator.ADR_GOT_PAGE, P + (1L << 32) - 1),
                fails("R_AARCH64_ADR_GOT_PAGE", ARM, Arm64Relocator.ADR_GOT_PAGE, P + (1L << 32), "signed 33 bits"),
                // Low-12 forms: no overflow check, but the scaled forms need the access alignment.
                fits("R_AARCH64_ADD_ABS_LO12_NC", ARM, Arm64Relocator.ADD_ABS_LO12_NC, 0x1234_5fff),
                fits("R_AARCH64_LDST8_ABS_LO12_NC", ARM, Arm64Relocator.LDST8_ABS_LO12_NC, 0x1234_5fff),
                fits("R_AARCH64_LDST16_ABS_LO12_NC", ARM, Arm64Relocator.LDST16_ABS_LO12_NC, 0x1234_5ffe),
                fails("R_AARCH64_LDST16_ABS_LO12_NC", ARM, Arm64Relocator.LDST16_ABS_LO12_NC, 0x1234_5fff,
                        "not aligned to the 2-byte access size"),
                fits("R_AARCH64_LDST32_ABS_LO12_NC", ARM, Arm64Relocator.LDST32_ABS_LO12_NC, 0x1234_5ffc),
                fails("R_AARCH64_LDST32_ABS_LO12_NC", ARM, Arm64Relocator.LDST32_ABS_LO12_NC, 0x1234_5ffe,
                        "not aligned to the 4-byte access size"),
                fits("R_AARCH64_LDST64_ABS_LO12_NC", ARM, Arm64Relocator.LDST64_ABS_LO12_NC, 0x1234_5ff8),
                fails("R_AARCH64_LDST64_ABS_LO12_NC", ARM, Arm64Relocator.LDST64_ABS_LO12_NC, 0x1234_5ffc,
                        "not aligned to the 8-byte access size"),
                fits("R_AARCH64_LDST128_ABS_LO12_NC", ARM, Arm64Relocator.LDST128_ABS_LO12_NC, 0x1234_5ff0),
                fails("R_AARCH64_LDST128_ABS_LO12_NC", ARM, Arm64Relocator.LDST128_ABS_LO12_NC, 0x1234_5ff8,
                        "not aligned to the 16-byte access size"),
                fits("R_AARCH64_LD64_GOT_LO12_NC", ARM, Arm64Relocator.LD64_GOT_LO12_NC, GOT + 0xff8),
                fails("R_AARCH64_LD64_GOT_LO12_NC", ARM, Arm64Relocator.LD64_GOT_LO12_NC, GOT + 0xffc,
                        "not aligned to the 8-byte access size"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edges")
    void lastValueInRangeIsWrittenAndFirstOutsideIsAnError(String name, Case c, String problem) throws Exception {
        if (problem == null) {
            c.apply();
        } else {
            assertThatThrownBy(c::apply).isInstanceOf(RelocationError.class).hasMessageContaining(problem);
        }
    }

    /** The scaled low-12 forms store the offset divided by the access size in bits 10..21. */
    @ParameterizedTest(name = "LDST{0}")
    @MethodSource("scaledForms")
    void scaledLow12FormsStoreTheOffsetInAccessUnits(int bits, int type) throws Exception {
        int insn = new Case(ARM, type, 0x1234_5ff0).apply();
        assertThat((insn >>> 10) & 0xfff).isEqualTo(0xff0 / (bits / 8));
    }

    static List<Arguments> scaledForms() {
        return List.of(Arguments.of(8, Arm64Relocator.LDST8_ABS_LO12_NC),
                Arguments.of(16, Arm64Relocator.LDST16_ABS_LO12_NC),
                Arguments.of(32, Arm64Relocator.LDST32_ABS_LO12_NC),
                Arguments.of(64, Arm64Relocator.LDST64_ABS_LO12_NC),
                Arguments.of(128, Arm64Relocator.LDST128_ABS_LO12_NC));
    }

    /** The sign-extended forms store the two's complement of negative values. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("negativeEdges")
    void negativeEdgeIsStoredAsTwosComplement(String name, Case c, int expected) throws Exception {
        assertThat(c.apply()).isEqualTo(expected);
    }

    static List<Arguments> negativeEdges() {
        return List.of(
                Arguments.of("R_X86_64_32S", new Case(X86, X86Relocator.R_32S, -0x8000_0000L), 0x8000_0000),
                Arguments.of("R_X86_64_PC32", new Case(X86, X86Relocator.PC32, P - 0x8000_0000L), 0x8000_0000),
                // B/BL imm26 = -2^25 words
                Arguments.of("R_AARCH64_CALL26", new Case(ARM, Arm64Relocator.CALL26, P - (1L << 27)),
                        (NOP & ~0x3ff_ffff) | 0x200_0000),
                // B.cond imm19 (bits 5..23) = -2^18 words
                Arguments.of("R_AARCH64_CONDBR19", new Case(ARM, Arm64Relocator.CONDBR19, P - (1L << 20)),
                        (NOP & ~(0x7ffff << 5)) | (0x40000 << 5)));
    }
}
