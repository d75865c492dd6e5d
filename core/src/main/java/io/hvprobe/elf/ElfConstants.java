package io.hvprobe.elf;

/** Numeric constants of the ELF64 format that the reader and the loader use. */
public final class ElfConstants {
    private ElfConstants() {
    }

    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;

    public static final int EM_X86_64 = 62;
    public static final int EM_AARCH64 = 183;

    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final int SHT_DYNSYM = 11;
    public static final int SHT_SYMTAB_SHNDX = 18;

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;

    /** Section indices at or above this value are reserved (special meanings, not real sections). */
    public static final int SHN_LORESERVE = 0xff00;
    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;
    public static final int SHN_XINDEX = 0xffff;

    public static final int PT_LOAD = 1;
    /** Thread-local storage template. */
    public static final int PT_TLS = 7;
    /** Program-header count escape: the real count is in section 0's {@code sh_info}. */
    public static final int PN_XNUM = 0xffff;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;

    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;
    public static final int STT_COMMON = 5;
    public static final int STT_TLS = 6;
    public static final int STT_GNU_IFUNC = 10;

    static final int EHDR_SIZE = 64;
    static final int SHDR_SIZE = 64;
    static final int PHDR_SIZE = 56;
    static final int SYM_SIZE = 24;
    static final int RELA_SIZE = 24;
}
