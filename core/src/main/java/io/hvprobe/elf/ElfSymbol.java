package io.hvprobe.elf;

/**
 * One symbol-table entry. {@code sectionIndex} is the unsigned section index after {@code SHN_XINDEX}
 * resolution; values below {@code SHN_LORESERVE} (or any value that came through an extended index) have been
 * checked to name an existing section.
 *
 * @param index        index in its symbol table
 * @param name         name ("" for unnamed symbols)
 * @param value        {@code st_value}
 * @param size         {@code st_size}
 * @param type         {@code STT_*}
 * @param binding      {@code STB_*}
 * @param visibility   {@code STV_*}
 * @param sectionIndex section index or a reserved {@code SHN_*} value
 */
public record ElfSymbol(int index, String name, long value, long size, int type, int binding, int visibility,
                        int sectionIndex) {

    /** Whether the symbol is undefined in this file ({@code SHN_UNDEF}). */
    public boolean isUndefined() {
        return sectionIndex == ElfConstants.SHN_UNDEF;
    }

    /** Whether the value is absolute ({@code SHN_ABS}). */
    public boolean isAbsolute() {
        return sectionIndex == ElfConstants.SHN_ABS;
    }

    /** Whether the symbol is a common block ({@code SHN_COMMON}); {@code value} is then its alignment. */
    public boolean isCommon() {
        return sectionIndex == ElfConstants.SHN_COMMON;
    }

    /** Whether the index lies in the reserved range but is none of UNDEF/ABS/COMMON (processor specific). */
    public boolean hasSpecialSectionIndex() {
        return sectionIndex >= ElfConstants.SHN_LORESERVE && !isAbsolute() && !isCommon();
    }
}
