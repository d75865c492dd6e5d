package io.hvprobe.elf;

import io.hvprobe.arch.Arch;
import java.util.Map;

/** Names of relocation types, for messages ("R_X86_64_PC32"); unknown numbers print as the number. */
public final class RelocationTypes {
    private RelocationTypes() {
    }

    private static final Map<Integer, String> X86_64 = Map.ofEntries(
            Map.entry(0, "R_X86_64_NONE"), Map.entry(1, "R_X86_64_64"), Map.entry(2, "R_X86_64_PC32"),
            Map.entry(3, "R_X86_64_GOT32"), Map.entry(4, "R_X86_64_PLT32"), Map.entry(5, "R_X86_64_COPY"),
            Map.entry(6, "R_X86_64_GLOB_DAT"), Map.entry(7, "R_X86_64_JUMP_SLOT"),
            Map.entry(8, "R_X86_64_RELATIVE"), Map.entry(9, "R_X86_64_GOTPCREL"), Map.entry(10, "R_X86_64_32"),
            Map.entry(11, "R_X86_64_32S"), Map.entry(12, "R_X86_64_16"), Map.entry(13, "R_X86_64_PC16"),
            Map.entry(14, "R_X86_64_8"), Map.entry(15, "R_X86_64_PC8"), Map.entry(16, "R_X86_64_DTPMOD64"),
            Map.entry(17, "R_X86_64_DTPOFF64"), Map.entry(18, "R_X86_64_TPOFF64"), Map.entry(19, "R_X86_64_TLSGD"),
            Map.entry(20, "R_X86_64_TLSLD"), Map.entry(21, "R_X86_64_DTPOFF32"),
            Map.entry(22, "R_X86_64_GOTTPOFF"), Map.entry(23, "R_X86_64_TPOFF32"), Map.entry(24, "R_X86_64_PC64"),
            Map.entry(25, "R_X86_64_GOTOFF64"), Map.entry(26, "R_X86_64_GOTPC32"),
            Map.entry(34, "R_X86_64_GOTPC32_TLSDESC"), Map.entry(36, "R_X86_64_TLSDESC"),
            Map.entry(37, "R_X86_64_IRELATIVE"), Map.entry(41, "R_X86_64_GOTPCRELX"),
            Map.entry(42, "R_X86_64_REX_GOTPCRELX"));

    private static final Map<Integer, String> AARCH64 = Map.ofEntries(
            Map.entry(0, "R_AARCH64_NONE"), Map.entry(256, "R_AARCH64_NONE"), Map.entry(257, "R_AARCH64_ABS64"),
            Map.entry(258, "R_AARCH64_ABS32"), Map.entry(259, "R_AARCH64_ABS16"),
            Map.entry(260, "R_AARCH64_PREL64"), Map.entry(261, "R_AARCH64_PREL32"),
            Map.entry(262, "R_AARCH64_PREL16"), Map.entry(263, "R_AARCH64_MOVW_UABS_G0"),
            Map.entry(264, "R_AARCH64_MOVW_UABS_G0_NC"), Map.entry(265, "R_AARCH64_MOVW_UABS_G1"),
            Map.entry(266, "R_AARCH64_MOVW_UABS_G1_NC"), Map.entry(267, "R_AARCH64_MOVW_UABS_G2"),
            Map.entry(268, "R_AARCH64_MOVW_UABS_G2_NC"), Map.entry(269, "R_AARCH64_MOVW_UABS_G3"),
            Map.entry(270, "R_AARCH64_MOVW_SABS_G0"), Map.entry(271, "R_AARCH64_MOVW_SABS_G1"),
            Map.entry(272, "R_AARCH64_MOVW_SABS_G2"), Map.entry(273, "R_AARCH64_LD_PREL_LO19"),
            Map.entry(274, "R_AARCH64_ADR_PREL_LO21"), Map.entry(275, "R_AARCH64_ADR_PREL_PG_HI21"),
            Map.entry(276, "R_AARCH64_ADR_PREL_PG_HI21_NC"), Map.entry(277, "R_AARCH64_ADD_ABS_LO12_NC"),
            Map.entry(278, "R_AARCH64_LDST8_ABS_LO12_NC"), Map.entry(279, "R_AARCH64_TSTBR14"),
            Map.entry(280, "R_AARCH64_CONDBR19"), Map.entry(282, "R_AARCH64_JUMP26"),
            Map.entry(283, "R_AARCH64_CALL26"), Map.entry(284, "R_AARCH64_LDST16_ABS_LO12_NC"),
            Map.entry(285, "R_AARCH64_LDST32_ABS_LO12_NC"), Map.entry(286, "R_AARCH64_LDST64_ABS_LO12_NC"),
            Map.entry(299, "R_AARCH64_LDST128_ABS_LO12_NC"), Map.entry(311, "R_AARCH64_ADR_GOT_PAGE"),
            Map.entry(312, "R_AARCH64_LD64_GOT_LO12_NC"), Map.entry(1024, "R_AARCH64_COPY"),
            Map.entry(1025, "R_AARCH64_GLOB_DAT"), Map.entry(1026, "R_AARCH64_JUMP_SLOT"),
            Map.entry(1027, "R_AARCH64_RELATIVE"), Map.entry(1028, "R_AARCH64_TLS_DTPMOD64"),
            Map.entry(1029, "R_AARCH64_TLS_DTPREL64"), Map.entry(1030, "R_AARCH64_TLS_TPREL64"),
            Map.entry(1031, "R_AARCH64_TLSDESC"), Map.entry(1032, "R_AARCH64_IRELATIVE"));

    /** The conventional name of relocation {@code type} on {@code arch}, or "type N" if unknown. */
    public static String name(Arch arch, int type) {
        String name = (arch == Arch.X86_64 ? X86_64 : AARCH64).get(type);
        return name != null ? name : "relocation type " + Integer.toUnsignedString(type);
    }
}
