package io.hvprobe.trap;

import io.hvprobe.arch.Arch;
import io.hvprobe.spi.TrapForm;

import java.util.Arrays;
import java.util.Optional;

/**
 * Decides from raw bytes whether an instruction is one hvprobe intercepts, and decodes it. Hand-written and
 * exact for the trap forms; no disassembler needed. Immutable and thread-safe.
 *
 * <p>x86_64: {@code IN}/{@code OUT} (port in DX or imm8), {@code INS}/{@code OUTS} with or without
 * {@code REP}, {@code VMCALL}, {@code VMMCALL}, {@code TDCALL}, {@code CPUID}, {@code RDPMC}, behind any mix
 * of legacy prefixes and a REX byte (at most 15 bytes in all). A {@code LOCK} prefix makes them undefined, so
 * such bytes are not sites; {@code 66}/{@code F2}/{@code F3} select other instructions in the {@code 0F 01}
 * group, so VMCALL and VMMCALL only accept segment, {@code 67} and REX prefixes and TDCALL is exactly
 * {@code 66 0F 01 CC} (REX allowed after the 66).
 *
 * <p>arm64: {@code HVC}, {@code SMC}, {@code BRK} and {@code MRS}/{@code MSR} of a register in the
 * configured {@link TrappedSystemRegisters}.
 */
public final class TrapDecoder {
    /** The longest x86 instruction. */
    public static final int X86_MAX_LENGTH = 15;

    private final TrappedSystemRegisters systemRegisters;

    /** A decoder that traps {@link TrappedSystemRegisters#defaults()}. */
    public TrapDecoder() {
        this(TrappedSystemRegisters.defaults());
    }

    /**
     * A decoder that traps accesses to {@code systemRegisters} on arm64.
     *
     * @param systemRegisters the registers whose {@code MRS}/{@code MSR} accesses trap
     */
    public TrapDecoder(TrappedSystemRegisters systemRegisters) {
        this.systemRegisters = systemRegisters;
    }

    /** {@return the arm64 system registers whose accesses trap} */
    public TrappedSystemRegisters systemRegisters() {
        return systemRegisters;
    }

    /**
     * The trap site starting at the first byte of {@code bytes}, which sit at {@code address}; empty when
     * the instruction there does not trap or the bytes end too early. This is the run-time entry point: pass
     * the bytes read at PC.
     *
     * @param arch    the guest architecture
     * @param address the guest address of {@code bytes[0]}
     * @param bytes   the bytes at {@code address}; 15 are enough on x86_64, 4 on arm64
     * @return the site, or empty
     */
    public Optional<TrapSite> decode(Arch arch, long address, byte[] bytes) {
        return decode(arch, address, bytes, 0, bytes.length);
    }

    /**
     * The trap site starting at {@code code[offset]}, looking at no byte at or past {@code end}; empty when
     * there is none. {@code address} is the address of {@code code[offset]}.
     *
     * @param arch    the guest architecture
     * @param address the guest address of {@code code[offset]}
     * @param code    the code bytes
     * @param offset  where the instruction starts in {@code code}
     * @param end     the first index of {@code code} not to look at
     * @return the site, or empty
     */
    public Optional<TrapSite> decode(Arch arch, long address, byte[] code, int offset, int end) {
        if (offset < 0 || end > code.length || offset >= end) {
            return Optional.empty();
        }
        return arch == Arch.X86_64 ? decodeX86(address, code, offset, end) : decodeArm64(address, code, offset, end);
    }

    // ---- x86_64 ------------------------------------------------------------------------------------------

    private Optional<TrapSite> decodeX86(long address, byte[] code, int offset, int end) {
        int limit = Math.min(end, offset + X86_MAX_LENGTH);
        boolean rep = false;
        boolean repne = false;
        boolean opSize = false;
        boolean addrSize = false;
        int segment = 0;
        int rex = 0;
        int p = offset;
        while (p < limit) {
            int b = code[p] & 0xFF;
            if (b == 0xF0) {
                return Optional.empty();            // LOCK: #UD on every trap form
            }
            if (b >= 0x40 && b <= 0x4F) {
                rex = b;                            // REX counts only directly before the opcode
            } else if (b == 0xF3 || b == 0xF2 || b == 0x66 || b == 0x67 || isSegment(b)) {
                rex = 0;
                switch (b) {
                    case 0xF3 -> rep = true;
                    case 0xF2 -> repne = true;
                    case 0x66 -> opSize = true;
                    case 0x67 -> addrSize = true;
                    default -> segment = b;
                }
            } else {
                break;
            }
            p++;
        }
        if (p >= limit) {
            return Optional.empty();
        }
        X86Prefixes prefixes = new X86Prefixes(rep, repne, opSize, addrSize, segment, rex, p - offset);
        int op = code[p] & 0xFF;
        return switch (op) {
            case 0xEC, 0xED, 0xEE, 0xEF -> Optional.of(portIo(address, code, offset, p + 1, prefixes, op, -1));
            case 0xE4, 0xE5, 0xE6, 0xE7 -> p + 1 < limit
                    ? Optional.of(portIo(address, code, offset, p + 2, prefixes, op, code[p + 1] & 0xFF))
                    : Optional.empty();
            case 0x6C, 0x6D, 0x6E, 0x6F -> Optional.of(portIo(address, code, offset, p + 1, prefixes, op, -1));
            case 0x0F -> twoByte(address, code, offset, p + 1, limit, prefixes);
            default -> Optional.empty();
        };
    }

    private static boolean isSegment(int b) {
        return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0x64 || b == 0x65;
    }

    private static TrapSite portIo(long address, byte[] code, int offset, int end, X86Prefixes prefixes, int op,
                                   int port) {
        boolean wide = (op & 1) == 1;
        int size = !wide ? 1 : prefixes.operandSize() ? 2 : 4;
        boolean string = op < 0x80;
        boolean in = string ? op <= 0x6D : (op & 2) == 0;
        TrapForm form = string ? (in ? TrapForm.INS : TrapForm.OUTS) : (in ? TrapForm.IN : TrapForm.OUT);
        String text = string ? stringText(in, size, prefixes) : portText(in, size, port);
        TrapEncoding.PortIo encoding = new TrapEncoding.PortIo(prefixes, size, port >= 0, port, string);
        return new TrapSite(address, form, Arrays.copyOfRange(code, offset, end), text, encoding);
    }

    private static String portText(boolean in, int size, int port) {
        String accumulator = size == 1 ? "al" : size == 2 ? "ax" : "eax";
        String portText = port >= 0 ? "0x" + Integer.toHexString(port) : "dx";
        return in ? "in " + accumulator + ", " + portText : "out " + portText + ", " + accumulator;
    }

    private static String stringText(boolean in, int size, X86Prefixes prefixes) {
        char suffix = size == 1 ? 'b' : size == 2 ? 'w' : 'd';
        String ptr = (size == 1 ? "byte" : size == 2 ? "word" : "dword") + " ptr ";
        String index = prefixes.addressSize() ? (in ? "[edi]" : "[esi]") : (in ? "[rdi]" : "[rsi]");
        String rep = prefixes.anyRep() ? "rep " : "";
        return in ? rep + "ins" + suffix + " " + ptr + index + ", dx"
                : rep + "outs" + suffix + " dx, " + ptr + index;
    }

    private static Optional<TrapSite> twoByte(long address, byte[] code, int offset, int q, int limit,
                                              X86Prefixes prefixes) {
        if (q >= limit) {
            return Optional.empty();
        }
        int op = code[q] & 0xFF;
        boolean mandatoryFree = !prefixes.operandSize() && !prefixes.anyRep();
        if (op == 0xA2 || op == 0x33) {
            TrapForm form = op == 0xA2 ? TrapForm.CPUID : TrapForm.RDPMC;
            return Optional.of(plain(address, code, offset, q + 1, prefixes, form));
        }
        if (op != 0x01 || q + 1 >= limit) {
            return Optional.empty();
        }
        int modrm = code[q + 1] & 0xFF;
        TrapForm form = switch (modrm) {
            case 0xC1 -> mandatoryFree ? TrapForm.VMCALL : null;
            case 0xD9 -> mandatoryFree ? TrapForm.VMMCALL : null;
            case 0xCC -> prefixes.operandSize() && !prefixes.anyRep() ? TrapForm.TDCALL : null;
            default -> null;
        };
        return form == null ? Optional.empty() : Optional.of(plain(address, code, offset, q + 2, prefixes, form));
    }

    private static TrapSite plain(long address, byte[] code, int offset, int end, X86Prefixes prefixes,
                                  TrapForm form) {
        return new TrapSite(address, form, Arrays.copyOfRange(code, offset, end),
                form.name().toLowerCase(java.util.Locale.ROOT), new TrapEncoding.X86Plain(prefixes));
    }

    // ---- arm64 -------------------------------------------------------------------------------------------

    private Optional<TrapSite> decodeArm64(long address, byte[] code, int offset, int end) {
        if (end - offset < 4) {
            return Optional.empty();
        }
        int word = (code[offset] & 0xFF) | (code[offset + 1] & 0xFF) << 8 | (code[offset + 2] & 0xFF) << 16
                | (code[offset + 3] & 0xFF) << 24;
        return decodeArm64Word(address, word);
    }

    /**
     * The trap site for one little-endian arm64 instruction word at {@code address}, or empty.
     *
     * @param address the guest address of the word
     * @param word    the instruction word, as read little-endian
     * @return the site, or empty when the word does not trap
     */
    public Optional<TrapSite> decodeArm64Word(long address, int word) {
        // Exception generation: 1101 0100 | opc(3) | imm16 | op2(3)=000 | LL(2)
        if ((word & 0xFF00_0000) == 0xD400_0000 && (word & 0x1C) == 0) {
            int imm = (word >>> 5) & 0xFFFF;
            TrapForm form = switch (word & 0x00E0_0003) {
                case 0x0000_0002 -> TrapForm.HVC;
                case 0x0000_0003 -> TrapForm.SMC;
                case 0x0020_0000 -> TrapForm.BRK;
                default -> null;
            };
            if (form == null) {
                return Optional.empty();
            }
            String text = form.name().toLowerCase(java.util.Locale.ROOT) + " #" + (imm == 0 ? "0" : "0x"
                    + Integer.toHexString(imm));
            return Optional.of(new TrapSite(address, form, littleEndian(word), text,
                    new TrapEncoding.ExceptionCall(imm)));
        }
        // System register move: 1101 0101 00 | L | 1 | o0 | op1 | CRn | CRm | op2 | Rt
        if ((word & 0xFFD0_0000) == 0xD510_0000) {
            SystemRegisterId id = SystemRegisterId.ofInstruction(word);
            Optional<String> name = systemRegisters.name(id);
            if (name.isEmpty()) {
                return Optional.empty();
            }
            boolean read = (word & 0x0020_0000) != 0;
            int rt = word & 0x1F;
            String reg = rt == 31 ? "xzr" : "x" + rt;
            String text = read ? "mrs " + reg + ", " + name.get() : "msr " + name.get() + ", " + reg;
            return Optional.of(new TrapSite(address, read ? TrapForm.MRS : TrapForm.MSR, littleEndian(word), text,
                    new TrapEncoding.SystemRegisterAccess(id, name.get(), read, rt)));
        }
        return Optional.empty();
    }

    private static byte[] littleEndian(int word) {
        return new byte[] {(byte) word, (byte) (word >>> 8), (byte) (word >>> 16), (byte) (word >>> 24)};
    }
}
