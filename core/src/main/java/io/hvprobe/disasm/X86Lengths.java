package io.hvprobe.disasm;

/**
 * Lengths of x86_64 instructions from their bytes alone (prefixes, REX, VEX/EVEX/XOP, opcode maps, ModRM, SIB,
 * displacement, immediate), without decoding what they do: a linear sweep at memory speed, for deciding cheaply
 * that a section holds no trap instruction before a {@link Disassembler} sweeps it. It follows the Intel SDM for
 * 64-bit mode. Where it is unsure (an opcode invalid in 64-bit mode, a length past 15 bytes or past the end) it says
 * so with {@link #UNSURE} instead of guessing, so callers fall back to the disassembler there. Stateless.
 */
public final class X86Lengths {
    /** What {@link #length} returns where it cannot vouch for the instruction boundary. */
    public static final int UNSURE = -1;

    private static final int MAX = 15;
    /** One-byte opcodes with a ModRM byte (bit set), 64-bit mode. */
    private static final long[] MODRM_1 = bits(
            0x00, 0x01, 0x02, 0x03, 0x08, 0x09, 0x0A, 0x0B, 0x10, 0x11, 0x12, 0x13, 0x18, 0x19, 0x1A, 0x1B,
            0x20, 0x21, 0x22, 0x23, 0x28, 0x29, 0x2A, 0x2B, 0x30, 0x31, 0x32, 0x33, 0x38, 0x39, 0x3A, 0x3B,
            0x63, 0x69, 0x6B, 0x80, 0x81, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D,
            0x8E, 0x8F, 0xC0, 0xC1, 0xC6, 0xC7, 0xD0, 0xD1, 0xD2, 0xD3, 0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD,
            0xDE, 0xDF, 0xF6, 0xF7, 0xFE, 0xFF);
    /** One-byte opcodes invalid in 64-bit mode (the CPU raises #UD; a disassembler steps over one byte). */
    private static final long[] INVALID_1 = bits(0x06, 0x07, 0x0E, 0x16, 0x17, 0x1E, 0x1F, 0x27, 0x2F, 0x37,
            0x3F, 0x60, 0x61, 0x82, 0x9A, 0xCE, 0xD4, 0xD5, 0xD6, 0xEA);
    /** Two-byte (0F xx) opcodes without a ModRM byte. */
    private static final long[] NO_MODRM_0F = bits(0x05, 0x06, 0x07, 0x08, 0x09, 0x0B, 0x0E, 0x30, 0x31, 0x32,
            0x33, 0x34, 0x35, 0x37, 0x77, 0xA0, 0xA1, 0xA2, 0xA8, 0xA9, 0xAA, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD,
            0xCE, 0xCF, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E,
            0x8F);
    /** Two-byte opcodes not defined (0F 04, 0A, 0C, 24-27, 36, 39, 3B-3F, A6, A7, 7A/7B are left to Capstone). */
    private static final long[] INVALID_0F = bits(0x04, 0x0A, 0x0C, 0x24, 0x25, 0x26, 0x27, 0x36, 0x39, 0x3B,
            0x3C, 0x3D, 0x3E, 0x3F, 0x7A, 0x7B, 0xA6, 0xA7);
    /** Two-byte opcodes (and VEX/EVEX map 1 opcodes) followed by an 8-bit immediate. */
    private static final long[] IMM8_0F = bits(0x70, 0x71, 0x72, 0x73, 0xA4, 0xAC, 0xBA, 0xC2, 0xC4, 0xC5,
            0xC6);

    private X86Lengths() {
    }

    /**
     * The length of the instruction at {@code code[offset]}, looking at no byte at or past {@code end}; {@link #UNSURE}
     * when the bytes there are no instruction valid in 64-bit mode or run past {@code end} or 15 bytes.
     */
    public static int length(byte[] code, int offset, int end) {
        int limit = Math.min(end, offset + MAX);
        int p = offset;
        boolean opSize = false;
        boolean addr32 = false;
        boolean rexW = false;
        while (true) {
            if (p >= limit) {
                return UNSURE;
            }
            int b = code[p] & 0xFF;
            if (b == 0x66) {
                opSize = true;
            } else if (b == 0x67) {
                addr32 = true;
            } else if (b == 0xF0 || b == 0xF2 || b == 0xF3 || b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E
                    || b == 0x64 || b == 0x65) {
                // segment, LOCK and REP prefixes do not change lengths
            } else if (b >= 0x40 && b <= 0x4F) {
                rexW = (b & 0x08) != 0; // a REX only counts right before the opcode; a later prefix resets it
                p++;
                if (p < limit && isLegacyPrefix(code[p] & 0xFF)) {
                    rexW = false;
                }
                continue;
            } else {
                break;
            }
            rexW = false;
            p++;
        }
        int op = code[p++] & 0xFF;
        int immZ = opSize && !rexW ? 2 : 4;
        return switch (op) {
            case 0x0F -> twoByte(code, p, limit, opSize, rexW, offset);
            case 0xC4, 0xC5, 0x62 -> vex(code, p, limit, op, offset);
            case 0x8F -> p < limit && ((code[p] & 0x38) != 0) ? xop(code, p, limit, offset)
                    : modrm(code, p, limit, 0, offset);
            default -> {
                if (test(INVALID_1, op)) {
                    yield UNSURE;
                }
                int imm = oneByteImmediate(op, immZ, rexW, addr32, code, p, limit);
                if (imm < 0) {
                    yield UNSURE;
                }
                yield test(MODRM_1, op) ? modrm(code, p, limit, imm, offset) : fits(p + imm, limit, offset);
            }
        };
    }

    private static boolean isLegacyPrefix(int b) {
        return b == 0x66 || b == 0x67 || b == 0xF0 || b == 0xF2 || b == 0xF3 || b == 0x26 || b == 0x2E
                || b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65;
    }

    /** Immediate bytes after a one-byte opcode (and its ModRM operand); -1 when they depend on an unreadable byte. */
    private static int oneByteImmediate(int op, int immZ, boolean rexW, boolean addr32, byte[] code, int p,
                                        int limit) {
        if (op < 0x40) {
            return switch (op & 7) {
                case 4 -> 1;
                case 5 -> immZ;
                default -> 0;
            };
        }
        if (op >= 0x70 && op <= 0x7F || op >= 0xB0 && op <= 0xB7 || op >= 0xE0 && op <= 0xE7) {
            return 1;
        }
        if (op >= 0xB8 && op <= 0xBF) {
            return rexW ? 8 : immZ;
        }
        if (op >= 0xA0 && op <= 0xA3) {
            return addr32 ? 4 : 8; // moffs
        }
        return switch (op) {
            case 0x68, 0x69, 0x81, 0xA9, 0xC7 -> immZ;
            case 0x6A, 0x6B, 0x80, 0x83, 0xA8, 0xC0, 0xC1, 0xC6, 0xCD, 0xEB -> 1;
            case 0xC2, 0xCA -> 2;
            case 0xC8 -> 3;
            case 0xE8, 0xE9 -> 4;
            case 0xF6, 0xF7 -> {
                if (p >= limit) {
                    yield -1;
                }
                int reg = (code[p] >> 3) & 7;
                yield reg <= 1 ? (op == 0xF6 ? 1 : immZ) : 0; // TEST has an immediate, NOT/NEG/MUL/DIV none
            }
            default -> 0;
        };
    }

    private static int twoByte(byte[] code, int p, int limit, boolean opSize, boolean rexW, int offset) {
        if (p >= limit) {
            return UNSURE;
        }
        int op = code[p++] & 0xFF;
        if (op == 0x38) {
            return p < limit ? modrm(code, p + 1, limit, 0, offset) : UNSURE;
        }
        if (op == 0x3A) {
            return p < limit ? modrm(code, p + 1, limit, 1, offset) : UNSURE;
        }
        if (op == 0x0F) {
            return modrm(code, p, limit, 1, offset); // 3DNow!: ModRM, then the opcode byte as an immediate
        }
        if (test(INVALID_0F, op)) {
            return UNSURE;
        }
        if (op >= 0x80 && op <= 0x8F) {
            return fits(p + 4, limit, offset); // Jcc rel32 (66 is ignored for near branches in 64-bit mode)
        }
        if (test(NO_MODRM_0F, op)) {
            return fits(p, limit, offset);
        }
        return modrm(code, p, limit, test(IMM8_0F, op) ? 1 : 0, offset);
    }

    /** VEX (C5: 2 bytes, C4: 3 bytes) and EVEX (62: 4 bytes) encoded instructions. */
    private static int vex(byte[] code, int p, int limit, int escape, int offset) {
        int payload = escape == 0xC5 ? 1 : escape == 0xC4 ? 2 : 3;
        if (p + payload >= limit) {
            return UNSURE;
        }
        int map = escape == 0xC5 ? 1 : code[p] & (escape == 0x62 ? 0x07 : 0x1F);
        int op = code[p + payload] & 0xFF;
        int at = p + payload + 1;
        return switch (map) {
            case 1 -> op == 0x77 && escape != 0x62 ? fits(at, limit, offset) // VZEROUPPER/VZEROALL
                    : modrm(code, at, limit, test(IMM8_0F, op) ? 1 : 0, offset);
            case 2 -> modrm(code, at, limit, 0, offset);
            case 3 -> modrm(code, at, limit, 1, offset);
            case 5, 6 -> escape == 0x62 ? modrm(code, at, limit, 0, offset) : UNSURE; // AVX512-FP16 maps
            default -> UNSURE;
        };
    }

    /** AMD XOP (8F with ModRM.reg != 0): maps 8 (imm8), 9 (none), A (imm32). */
    private static int xop(byte[] code, int p, int limit, int offset) {
        if (p + 2 >= limit) {
            return UNSURE;
        }
        int map = code[p] & 0x1F;
        int at = p + 3;
        return switch (map) {
            case 8 -> modrm(code, at, limit, 1, offset);
            case 9 -> modrm(code, at, limit, 0, offset);
            case 0xA -> modrm(code, at, limit, 4, offset);
            default -> UNSURE;
        };
    }

    /** The length of an instruction whose ModRM byte is at {@code p}, followed by {@code imm} immediate bytes. */
    private static int modrm(byte[] code, int p, int limit, int imm, int offset) {
        if (p >= limit) {
            return UNSURE;
        }
        int m = code[p++] & 0xFF;
        int mod = m >> 6;
        int rm = m & 7;
        if (mod != 3 && rm == 4) {
            if (p >= limit) {
                return UNSURE;
            }
            int sib = code[p++] & 0xFF;
            if (mod == 0 && (sib & 7) == 5) {
                p += 4;
            }
        } else if (mod == 0 && rm == 5) {
            p += 4; // RIP-relative
        }
        p += mod == 1 ? 1 : mod == 2 ? 4 : 0;
        return fits(p + imm, limit, offset);
    }

    private static int fits(int end, int limit, int offset) {
        return end <= limit ? end - offset : UNSURE;
    }

    private static long[] bits(int... ops) {
        long[] set = new long[4];
        for (int op : ops) {
            set[op >> 6] |= 1L << (op & 63);
        }
        return set;
    }

    private static boolean test(long[] set, int op) {
        return (set[op >> 6] & (1L << (op & 63))) != 0;
    }
}
