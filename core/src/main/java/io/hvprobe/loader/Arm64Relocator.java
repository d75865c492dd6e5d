package io.hvprobe.loader;

import static io.hvprobe.loader.Relocator.fitsSigned;
import static io.hvprobe.loader.Relocator.hex;

import java.util.List;

/** AArch64 relocations (AAELF64 numbering) and arm64 stub code. */
final class Arm64Relocator implements Relocator {
    static final int NONE = 0;
    static final int NONE_ALT = 256;
    static final int ABS64 = 257;
    static final int ABS32 = 258;
    static final int PREL64 = 260;
    static final int PREL32 = 261;
    static final int MOVW_UABS_G0 = 263;
    static final int MOVW_UABS_G0_NC = 264;
    static final int MOVW_UABS_G1 = 265;
    static final int MOVW_UABS_G1_NC = 266;
    static final int MOVW_UABS_G2 = 267;
    static final int MOVW_UABS_G2_NC = 268;
    static final int MOVW_UABS_G3 = 269;
    static final int LD_PREL_LO19 = 273;
    static final int ADR_PREL_LO21 = 274;
    static final int ADR_PREL_PG_HI21 = 275;
    static final int ADR_PREL_PG_HI21_NC = 276;
    static final int ADD_ABS_LO12_NC = 277;
    static final int LDST8_ABS_LO12_NC = 278;
    static final int TSTBR14 = 279;
    static final int CONDBR19 = 280;
    static final int JUMP26 = 282;
    static final int CALL26 = 283;
    static final int LDST16_ABS_LO12_NC = 284;
    static final int LDST32_ABS_LO12_NC = 285;
    static final int LDST64_ABS_LO12_NC = 286;
    static final int LDST128_ABS_LO12_NC = 299;
    static final int ADR_GOT_PAGE = 311;
    static final int LD64_GOT_LO12_NC = 312;
    static final int GLOB_DAT = 1025;
    static final int JUMP_SLOT = 1026;
    static final int COPY = 1024;
    static final int RELATIVE = 1027;
    static final int TLS_DTPMOD64 = 1028;
    static final int TLS_DTPREL64 = 1029;
    static final int TLS_TPREL64 = 1030;
    static final int TLSDESC = 1031;
    static final int IRELATIVE = 1032;

    private static final int RET = 0xd65f03c0;
    private static final List<String> RETURN_THUNKS = List.of("_mcount", "mcount", "__fentry__");

    @Override
    public Reference classify(int type, byte[] contents, long offset) {
        return switch (type) {
            case NONE, NONE_ALT -> Reference.NONE;
            case CALL26, JUMP26 -> Reference.CALL;
            case ADR_GOT_PAGE, LD64_GOT_LO12_NC -> Reference.GOT_DATA;
            case ABS64, ABS32, PREL64, PREL32, MOVW_UABS_G0, MOVW_UABS_G0_NC, MOVW_UABS_G1, MOVW_UABS_G1_NC,
                 MOVW_UABS_G2, MOVW_UABS_G2_NC, MOVW_UABS_G3, LD_PREL_LO19, ADR_PREL_LO21, ADR_PREL_PG_HI21,
                 ADR_PREL_PG_HI21_NC, ADD_ABS_LO12_NC, LDST8_ABS_LO12_NC, LDST16_ABS_LO12_NC, LDST32_ABS_LO12_NC,
                 LDST64_ABS_LO12_NC, LDST128_ABS_LO12_NC, TSTBR14, CONDBR19 -> Reference.DATA;
            default -> Reference.UNSUPPORTED;
        };
    }

    @Override
    public int width(int type) {
        return switch (type) {
            case ABS64, PREL64 -> 8;
            case NONE, NONE_ALT -> 0;
            default -> 4;
        };
    }

    @Override
    public boolean gotSlotIncludesAddend() {
        return true;
    }

    @Override
    public void apply(int type, byte[] buf, int i, long p, long s, long a, long g) throws RelocationError {
        long x = s + a;
        switch (type) {
            case NONE, NONE_ALT -> {
            }
            case ABS64 -> Relocator.put64(buf, i, x);
            case PREL64 -> Relocator.put64(buf, i, x - p);
            case ABS32 -> Relocator.put32(buf, i, checkData32(x));
            case PREL32 -> Relocator.put32(buf, i, checkData32(x - p));
            case MOVW_UABS_G0 -> movw(buf, i, checkUnsigned(x, 16), 0);
            case MOVW_UABS_G0_NC -> movw(buf, i, x, 0);
            case MOVW_UABS_G1 -> movw(buf, i, checkUnsigned(x, 32), 16);
            case MOVW_UABS_G1_NC -> movw(buf, i, x, 16);
            case MOVW_UABS_G2 -> movw(buf, i, checkUnsigned(x, 48), 32);
            case MOVW_UABS_G2_NC -> movw(buf, i, x, 32);
            case MOVW_UABS_G3 -> movw(buf, i, x, 48);
            case LD_PREL_LO19, CONDBR19 -> patch(buf, i, branch(x - p, 21) >> 2, 19, 5);
            case TSTBR14 -> patch(buf, i, branch(x - p, 16) >> 2, 14, 5);
            case JUMP26, CALL26 -> patch(buf, i, branch(x - p, 28) >> 2, 26, 0);
            case ADR_PREL_LO21 -> adr(buf, i, checkSigned(x - p, 21));
            case ADR_PREL_PG_HI21 -> adr(buf, i, checkSigned(page(x) - page(p), 33) >> 12);
            case ADR_PREL_PG_HI21_NC -> adr(buf, i, (page(x) - page(p)) >> 12);
            case ADR_GOT_PAGE -> adr(buf, i, checkSigned(page(g) - page(p), 33) >> 12);
            case ADD_ABS_LO12_NC, LDST8_ABS_LO12_NC -> patch(buf, i, x & 0xfff, 12, 10);
            case LDST16_ABS_LO12_NC -> patch(buf, i, aligned(x & 0xfff, 1) >> 1, 12, 10);
            case LDST32_ABS_LO12_NC -> patch(buf, i, aligned(x & 0xfff, 2) >> 2, 12, 10);
            case LDST64_ABS_LO12_NC -> patch(buf, i, aligned(x & 0xfff, 3) >> 3, 12, 10);
            case LDST128_ABS_LO12_NC -> patch(buf, i, aligned(x & 0xfff, 4) >> 4, 12, 10);
            case LD64_GOT_LO12_NC -> patch(buf, i, aligned(g & 0xfff, 3) >> 3, 12, 10);
            default -> throw new RelocationError("unsupported relocation type");
        }
    }

    private static long page(long address) {
        return address & ~0xfffL;
    }

    /** ABS32/PREL32 accept both signed and unsigned 32-bit values: {@code -2^31 <= X < 2^32}. */
    private static long checkData32(long v) throws RelocationError {
        if (v < -(1L << 31) || v >= (1L << 32)) {
            throw new RelocationError("value " + hex(v) + " does not fit in 32 bits");
        }
        return v;
    }

    private static long checkUnsigned(long v, int bits) throws RelocationError {
        if (v < 0 || v >= (1L << bits)) {
            throw new RelocationError("value " + hex(v) + " does not fit in unsigned " + bits + " bits");
        }
        return v;
    }

    private static long checkSigned(long v, int bits) throws RelocationError {
        if (!fitsSigned(v, bits)) {
            throw new RelocationError("value " + hex(v) + " does not fit in signed " + bits + " bits");
        }
        return v;
    }

    /** A branch displacement: in range and a multiple of 4. */
    private static long branch(long v, int bits) throws RelocationError {
        checkSigned(v, bits);
        if ((v & 3) != 0) {
            throw new RelocationError("branch displacement " + hex(v) + " is not a multiple of 4");
        }
        return v;
    }

    private static long aligned(long v, int shift) throws RelocationError {
        if ((v & ((1L << shift) - 1)) != 0) {
            throw new RelocationError("low 12 bits " + hex(v) + " not aligned to the " + (1 << shift)
                    + "-byte access size");
        }
        return v;
    }

    /** Replaces the {@code bits}-wide field at bit {@code shift} of the instruction with {@code value}. */
    private static void patch(byte[] buf, int i, long value, int bits, int shift) {
        int mask = (int) ((1L << bits) - 1) << shift;
        int insn = Relocator.get32(buf, i);
        insn = (insn & ~mask) | ((int) (value << shift) & mask);
        Relocator.put32(buf, i, insn);
    }

    private static void movw(byte[] buf, int i, long value, int shift) {
        patch(buf, i, (value >>> shift) & 0xffff, 16, 5);
    }

    /** ADR/ADRP immediate: immlo in bits 29-30, immhi in bits 5-23. */
    private static void adr(byte[] buf, int i, long imm) {
        patch(buf, i, imm & 3, 2, 29);
        patch(buf, i, (imm >> 2) & 0x7ffff, 19, 5);
    }

    @Override
    public DynamicKind dynamicKind(int type) {
        return switch (type) {
            case NONE, NONE_ALT -> DynamicKind.NONE;
            case RELATIVE -> DynamicKind.RELATIVE;
            case GLOB_DAT -> DynamicKind.GLOB_DAT;
            case JUMP_SLOT -> DynamicKind.JUMP_SLOT;
            case ABS64 -> DynamicKind.ABSOLUTE64;
            case TLS_DTPMOD64 -> DynamicKind.TLS_MODULE;
            case TLS_DTPREL64 -> DynamicKind.TLS_BLOCK_OFFSET;
            case TLS_TPREL64 -> DynamicKind.TLS_THREAD_OFFSET;
            case TLSDESC -> DynamicKind.TLS_DESCRIPTOR;
            case COPY -> DynamicKind.COPY;
            case IRELATIVE -> DynamicKind.IRELATIVE;
            default -> DynamicKind.UNSUPPORTED;
        };
    }

    @Override
    public TlsLayout.Variant tlsVariant() {
        return TlsLayout.Variant.ABOVE_THREAD_POINTER;
    }

    @Override
    public byte[] returnStub(int size) {
        byte[] code = new byte[size]; // zero words after the ret are UDF: running past a stub traps
        Relocator.put32(code, 0, RET);
        return code;
    }

    @Override
    public byte[] thunk(String name) {
        switch (name) {
            // The TCB's first word holds the dtv (TlsLayout): dtv[tls_index.module] + tls_index.offset.
            case TlsLayout.GET_ADDR -> {
                return words(0xf9400001, // ldr x1, [x0]
                        0xf9400400,      // ldr x0, [x0, #8]
                        0xd53bd042,      // mrs x2, tpidr_el0
                        0xf9400042,      // ldr x2, [x2]
                        0xf8617841,      // ldr x1, [x2, x1, lsl #3]
                        0x8b010000,      // add x0, x0, x1
                        RET);
            }
            // The static descriptor resolver: the descriptor's second word is already the offset from TPIDR_EL0.
            case TlsLayout.DESCRIPTOR_RESOLVER -> {
                return words(0xf9400400, RET); // ldr x0, [x0, #8]; ret
            }
            default -> {
            }
        }
        if (RETURN_THUNKS.contains(name)) {
            byte[] code = new byte[4];
            Relocator.put32(code, 0, RET);
            return code;
        }
        return null;
    }

    private static byte[] words(int... instructions) {
        byte[] code = new byte[4 * instructions.length];
        for (int i = 0; i < instructions.length; i++) {
            Relocator.put32(code, 4 * i, instructions[i]);
        }
        return code;
    }
}
