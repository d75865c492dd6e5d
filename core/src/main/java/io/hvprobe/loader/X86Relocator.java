package io.hvprobe.loader;

import static io.hvprobe.loader.Relocator.fitsSigned;
import static io.hvprobe.loader.Relocator.hex;

import java.util.Arrays;
import java.util.List;

/** x86_64 relocations (psABI numbering) and x86 stub code. */
final class X86Relocator implements Relocator {
    static final int NONE = 0;
    static final int R_64 = 1;
    static final int PC32 = 2;
    static final int PLT32 = 4;
    static final int GLOB_DAT = 6;
    static final int JUMP_SLOT = 7;
    static final int RELATIVE = 8;
    static final int GOTPCREL = 9;
    static final int R_32 = 10;
    static final int R_32S = 11;
    static final int COPY = 5;
    static final int DTPMOD64 = 16;
    static final int DTPOFF64 = 17;
    static final int TPOFF64 = 18;
    static final int PC64 = 24;
    static final int TLSDESC = 36;
    static final int IRELATIVE = 37;
    static final int GOTPCRELX = 41;
    static final int REX_GOTPCRELX = 42;

    /** Register numbers in ModRM order; r8..r15 need a REX.B prefix. */
    private static final List<String> REGISTERS = List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
    private static final List<String> THUNK_PREFIXES = List.of("__x86_indirect_thunk_",
            "__x86_indirect_jump_thunk_", "__x86_indirect_call_thunk_");
    private static final List<String> RETURN_THUNKS = List.of("__x86_return_thunk", "__fentry__", "mcount",
            "_mcount", "__mcount");

    @Override
    public Reference classify(int type, byte[] contents, long offset) {
        return switch (type) {
            case NONE -> Reference.NONE;
            case PLT32 -> Reference.CALL;
            // Old assemblers emit PC32 for call/jmp rel32; the opcode byte tells.
            case PC32 -> precededBy(contents, offset, 0xe8) || precededBy(contents, offset, 0xe9)
                    ? Reference.CALL : Reference.DATA;
            case GOTPCREL, GOTPCRELX, REX_GOTPCRELX -> isIndirectBranch(contents, offset)
                    ? Reference.GOT_CALL : Reference.GOT_DATA;
            case R_64, R_32, R_32S, PC64 -> Reference.DATA;
            default -> Reference.UNSUPPORTED;
        };
    }

    private static boolean precededBy(byte[] contents, long offset, int opcode) {
        return offset >= 1 && offset <= contents.length && (contents[(int) offset - 1] & 0xff) == opcode;
    }

    /** {@code FF 15} (call *disp(%rip)) or {@code FF 25} (jmp *disp(%rip)) right before the field. */
    private static boolean isIndirectBranch(byte[] contents, long offset) {
        if (offset < 2 || offset > contents.length) {
            return false;
        }
        int op = contents[(int) offset - 2] & 0xff;
        int modrm = contents[(int) offset - 1] & 0xff;
        return op == 0xff && (modrm == 0x15 || modrm == 0x25);
    }

    @Override
    public int width(int type) {
        return switch (type) {
            case R_64, PC64 -> 8;
            case NONE -> 0;
            default -> 4;
        };
    }

    @Override
    public boolean gotSlotIncludesAddend() {
        return false;
    }

    @Override
    public void apply(int type, byte[] buf, int i, long p, long s, long a, long g) throws RelocationError {
        switch (type) {
            case NONE -> {
            }
            case R_64 -> Relocator.put64(buf, i, s + a);
            case PC64 -> Relocator.put64(buf, i, s + a - p);
            case PC32, PLT32 -> putSigned32(buf, i, s + a - p);
            case GOTPCREL, GOTPCRELX, REX_GOTPCRELX -> putSigned32(buf, i, g + a - p);
            case R_32S -> putSigned32(buf, i, s + a);
            case R_32 -> {
                long v = s + a;
                if (v < 0 || v > 0xffff_ffffL) {
                    throw new RelocationError("value " + hex(v) + " does not fit in unsigned 32 bits");
                }
                Relocator.put32(buf, i, v);
            }
            default -> throw new RelocationError("unsupported relocation type");
        }
    }

    private static void putSigned32(byte[] buf, int i, long v) throws RelocationError {
        if (!fitsSigned(v, 32)) {
            throw new RelocationError("value " + hex(v) + " does not fit in signed 32 bits");
        }
        Relocator.put32(buf, i, v);
    }

    @Override
    public DynamicKind dynamicKind(int type) {
        return switch (type) {
            case NONE -> DynamicKind.NONE;
            case RELATIVE -> DynamicKind.RELATIVE;
            case GLOB_DAT -> DynamicKind.GLOB_DAT;
            case JUMP_SLOT -> DynamicKind.JUMP_SLOT;
            case R_64 -> DynamicKind.ABSOLUTE64;
            case DTPMOD64 -> DynamicKind.TLS_MODULE;
            case DTPOFF64 -> DynamicKind.TLS_BLOCK_OFFSET;
            case TPOFF64 -> DynamicKind.TLS_THREAD_OFFSET;
            case TLSDESC -> DynamicKind.TLS_DESCRIPTOR;
            case COPY -> DynamicKind.COPY;
            case IRELATIVE -> DynamicKind.IRELATIVE;
            default -> DynamicKind.UNSUPPORTED;
        };
    }

    @Override
    public TlsLayout.Variant tlsVariant() {
        return TlsLayout.Variant.BELOW_THREAD_POINTER;
    }

    @Override
    public byte[] returnStub(int size) {
        byte[] code = new byte[size];
        Arrays.fill(code, (byte) 0xcc); // int3 after the ret: running past a stub traps
        code[0] = (byte) 0xc3;
        return code;
    }

    @Override
    public byte[] thunk(String name) {
        switch (name) {
            // The TCB's second word holds the dtv (TlsLayout): dtv[tls_index.module] + tls_index.offset.
            case TlsLayout.GET_ADDR -> {
                return new byte[] {0x64, 0x48, (byte) 0x8b, 0x04, 0x25, 0x08, 0, 0, 0, // mov %fs:8, %rax
                        0x48, (byte) 0x8b, 0x0f, // mov (%rdi), %rcx
                        0x48, (byte) 0x8b, 0x04, (byte) 0xc8, // mov (%rax,%rcx,8), %rax
                        0x48, 0x03, 0x47, 0x08, // add 8(%rdi), %rax
                        (byte) 0xc3};
            }
            // The static descriptor resolver: the descriptor's second word is already the offset from %fs.
            case TlsLayout.DESCRIPTOR_RESOLVER -> {
                return new byte[] {0x48, (byte) 0x8b, 0x40, 0x08, (byte) 0xc3}; // mov 8(%rax), %rax; ret
            }
            default -> {
            }
        }
        if (RETURN_THUNKS.contains(name)) {
            return new byte[] {(byte) 0xc3};
        }
        for (String prefix : THUNK_PREFIXES) {
            if (name.startsWith(prefix)) {
                int reg = REGISTERS.indexOf(name.substring(prefix.length()));
                if (reg < 0) {
                    return null;
                }
                // jmp *%reg is FF /4 with mod=11: ModRM = 0xE0 | reg; REX.B (0x41) selects r8..r15.
                byte modrm = (byte) (0xe0 | (reg & 7));
                return reg < 8 ? new byte[] {(byte) 0xff, modrm} : new byte[] {0x41, (byte) 0xff, modrm};
            }
        }
        return null;
    }
}
