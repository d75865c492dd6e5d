package io.hvprobe.dwarf;

/** DWARF attribute form codes ({@code DW_FORM_*}) and how many bytes each occupies. */
final class Forms {
    static final int ADDR = 0x01;
    static final int BLOCK2 = 0x03;
    static final int BLOCK4 = 0x04;
    static final int DATA2 = 0x05;
    static final int DATA4 = 0x06;
    static final int DATA8 = 0x07;
    static final int STRING = 0x08;
    static final int BLOCK = 0x09;
    static final int BLOCK1 = 0x0a;
    static final int DATA1 = 0x0b;
    static final int FLAG = 0x0c;
    static final int SDATA = 0x0d;
    static final int STRP = 0x0e;
    static final int UDATA = 0x0f;
    static final int REF_ADDR = 0x10;
    static final int REF1 = 0x11;
    static final int REF2 = 0x12;
    static final int REF4 = 0x13;
    static final int REF8 = 0x14;
    static final int REF_UDATA = 0x15;
    static final int INDIRECT = 0x16;
    static final int SEC_OFFSET = 0x17;
    static final int EXPRLOC = 0x18;
    static final int FLAG_PRESENT = 0x19;
    static final int STRX = 0x1a;
    static final int ADDRX = 0x1b;
    static final int REF_SUP4 = 0x1c;
    static final int STRP_SUP = 0x1d;
    static final int DATA16 = 0x1e;
    static final int LINE_STRP = 0x1f;
    static final int REF_SIG8 = 0x20;
    static final int IMPLICIT_CONST = 0x21;
    static final int LOCLISTX = 0x22;
    static final int RNGLISTX = 0x23;
    static final int REF_SUP8 = 0x24;
    static final int STRX1 = 0x25;
    static final int STRX2 = 0x26;
    static final int STRX3 = 0x27;
    static final int STRX4 = 0x28;
    static final int ADDRX1 = 0x29;
    static final int ADDRX2 = 0x2a;
    static final int ADDRX3 = 0x2b;
    static final int ADDRX4 = 0x2c;
    static final int GNU_ADDR_INDEX = 0x1f01;
    static final int GNU_STR_INDEX = 0x1f02;
    static final int GNU_REF_ALT = 0x1f20;
    static final int GNU_STRP_ALT = 0x1f21;

    private Forms() {
    }

    /** Whether a value of {@code form} is a reference to another DIE inside the same unit. */
    static boolean isUnitReference(int form) {
        return form == REF1 || form == REF2 || form == REF4 || form == REF8 || form == REF_UDATA;
    }

    static boolean isStringIndex(int form) {
        return form == STRX || form == STRX1 || form == STRX2 || form == STRX3 || form == STRX4
                || form == GNU_STR_INDEX;
    }

    static boolean isAddressIndex(int form) {
        return form == ADDRX || form == ADDRX1 || form == ADDRX2 || form == ADDRX3 || form == ADDRX4
                || form == GNU_ADDR_INDEX;
    }

    /** Skips a value in a DWARF 5 line-table entry, where only data, string and block forms appear. */
    static void skipLineForm(Cursor c, int form, int offsetSize) throws DwarfFormatException {
        switch (form) {
            case DATA1 -> c.skip(1);
            case DATA2 -> c.skip(2);
            case DATA4 -> c.skip(4);
            case DATA8 -> c.skip(8);
            case DATA16 -> c.skip(16);
            case UDATA -> c.uleb();
            case SDATA -> c.sleb();
            case STRING -> c.cstring();
            case STRP, LINE_STRP, SEC_OFFSET -> c.skip(offsetSize);
            case BLOCK -> c.skip(c.uleb());
            case STRX -> c.uleb();
            case STRX1 -> c.skip(1);
            case STRX2 -> c.skip(2);
            case STRX3 -> c.skip(3);
            case STRX4 -> c.skip(4);
            default -> throw c.error("unsupported line-table form 0x" + Integer.toHexString(form));
        }
    }
}
