package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.loader.RawBlob;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: guest code assembled by hand, piece by piece, with named labels (which become the blob's
 * symbols, so locations read {@code label+0x..}).
 */
final class Program {
    /** Where test programs are loaded. */
    static final long BASE = 0x1000_0000L;

    private final Arch arch;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Integer> labels = new LinkedHashMap<>();

    private Program(Arch arch) {
        this.arch = arch;
    }

    static Program x86() {
        return new Program(Arch.X86_64);
    }

    static Program arm64() {
        return new Program(Arch.ARM64);
    }

    Arch arch() {
        return arch;
    }

    /** Starts a symbol at the current position. */
    Program label(String name) {
        labels.put(name, out.size());
        return this;
    }

    /** Appends x86 bytes written as hex ("0f 01 c1"); returns this. */
    Program x(String hex) {
        out.writeBytes(HexFormat.of().parseHex(hex.replace(" ", "")));
        return this;
    }

    /** Appends arm64 instruction words (little endian). */
    Program a(int... words) {
        for (int w : words) {
            out.writeBytes(new byte[] {(byte) w, (byte) (w >>> 8), (byte) (w >>> 16), (byte) (w >>> 24)});
        }
        return this;
    }

    /** Pads with {@code b} up to {@code offset}. */
    Program padTo(int offset, int b) {
        while (out.size() < offset) {
            out.write(b);
        }
        return this;
    }

    /** The current offset. */
    int here() {
        return out.size();
    }

    /** The guest address of the current position. */
    long hereAddress() {
        return BASE + out.size();
    }

    /** The guest address of a label. */
    long address(String label) {
        Integer off = labels.get(label);
        if (off == null) {
            throw new IllegalArgumentException("no label " + label);
        }
        return BASE + off;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    RawBlob blob(io.hvprobe.loader.Permissions permissions) {
        List<RawBlob.RawSymbol> symbols = new ArrayList<>();
        labels.forEach((name, off) -> symbols.add(new RawBlob.RawSymbol(name, off)));
        return new RawBlob("test-" + arch.name().toLowerCase(java.util.Locale.ROOT), bytes(), arch, BASE,
                permissions, symbols);
    }

    // ---- x86_64 encodings used by the tests ----

    /** {@code movabs r64, imm64}. */
    Program movabs(io.hvprobe.arch.X86Register register, long value) {
        int reg = encoding(register);
        out.write(0x48 | (reg >= 8 ? 1 : 0));
        out.write(0xB8 + (reg & 7));
        for (int i = 0; i < 8; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
        return this;
    }

    /** The register's number in x86 encodings (rax 0, rcx 1, rdx 2, rbx 3, rsp 4, rbp 5, rsi 6, rdi 7, r8..). */
    static int encoding(io.hvprobe.arch.X86Register register) {
        return switch (register) {
            case RAX -> 0;
            case RCX -> 1;
            case RDX -> 2;
            case RBX -> 3;
            case RSP -> 4;
            case RBP -> 5;
            case RSI -> 6;
            case RDI -> 7;
            case RIP, RFLAGS -> throw new IllegalArgumentException(register + " has no register number");
            default -> register.index();
        };
    }

    /** {@code push imm32; popfq}: sets RFLAGS to {@code flags}. */
    Program setFlags(int flags) {
        out.write(0x68);
        for (int i = 0; i < 4; i++) {
            out.write((flags >>> (8 * i)) & 0xFF);
        }
        out.write(0x9D);
        return this;
    }

    // ---- arm64 encodings used by the tests ----

    static int movz(int rd, int imm16, int shift) {
        return 0xD280_0000 | (shift / 16) << 21 | (imm16 & 0xFFFF) << 5 | rd;
    }

    static int movk(int rd, int imm16, int shift) {
        return 0xF280_0000 | (shift / 16) << 21 | (imm16 & 0xFFFF) << 5 | rd;
    }

    /** Loads a 64-bit constant into {@code xd} with MOVZ + 3 MOVK. */
    Program mov64(int rd, long value) {
        a(movz(rd, (int) value & 0xFFFF, 0));
        for (int shift = 16; shift < 64; shift += 16) {
            a(movk(rd, (int) (value >>> shift) & 0xFFFF, shift));
        }
        return this;
    }

    /** {@code msr nzcv, xt}. */
    static int msrNzcv(int rt) {
        return 0xD51B_4200 | rt;
    }

    static int hvc(int imm) {
        return 0xD400_0002 | imm << 5;
    }

    static int smc(int imm) {
        return 0xD400_0003 | imm << 5;
    }

    static int brk(int imm) {
        return 0xD420_0000 | imm << 5;
    }

    /** {@code mrs xt, mdccsr_el0}. */
    static int mrsMdccsr(int rt) {
        return 0xD533_0100 | rt;
    }

    /** {@code adr xd, .+offset}. */
    static int adr(int rd, int offset) {
        return 0x1000_0000 | (offset & 3) << 29 | ((offset >> 2) & 0x7FFFF) << 5 | rd;
    }

    /** {@code str wt, [xn]}. */
    static int strW(int rt, int rn) {
        return 0xB900_0000 | rn << 5 | rt;
    }

    static int br(int rn) {
        return 0xD61F_0000 | rn << 5;
    }

    /** {@code subs xd, xd, #1}. */
    static int decrementSetFlags(int rd) {
        return 0xF100_0400 | rd << 5 | rd;
    }

    /** {@code b.ne .+offset}. */
    static int bne(int offset) {
        return 0x5400_0001 | ((offset >> 2) & 0x7FFFF) << 5;
    }

    static final int RET = 0xD65F_03C0;
    static final int NOP = 0xD503_201F;
}
