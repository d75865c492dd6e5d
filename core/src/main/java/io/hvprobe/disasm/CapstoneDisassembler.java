package io.hvprobe.disasm;

import capstone.Arm64_const;
import capstone.Capstone;
import capstone.X86_const;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@link Disassembler} over one libcapstone 4 handle. Public methods are synchronised because a Capstone
 * handle and the native scratch buffer are not thread-safe.
 */
final class CapstoneDisassembler implements Disassembler {
    // Capstone 4 constants, from the official Java binding's tables (capstone.Capstone, capstone.*_const).
    private static final int X86_OP_MEM = X86_const.X86_OP_MEM;
    private static final int CS_AC_READ = Capstone.CS_AC_READ;
    private static final int CS_AC_WRITE = Capstone.CS_AC_WRITE;

    // Capstone 4 struct layout on LP64: CapstoneLayoutTest checks each against the official binding's JNA
    // structures (Capstone._cs_insn, _cs_detail, X86.UnionOpInfo, X86.Operand).
    static final int INSN_SIZE = 240;
    static final int INSN_ADDRESS = 8;
    static final int INSN_SIZE_FIELD = 16;
    static final int INSN_BYTES = 18;
    static final int INSN_MNEMONIC = 34;
    static final int INSN_OP_STR = 66;
    static final int INSN_DETAIL = 232;
    static final int DETAIL_ARCH = 80;
    static final int X86_OP_COUNT = 64;
    static final int X86_OPERANDS = 72;
    static final int X86_OPERAND_SIZE = 48;
    static final int X86_OPERAND_ACCESS = 33;

    /** Longest x86 instruction; the arm64 decode window is simply 4. */
    private static final int X86_MAX_LENGTH = 15;
    private static final int WINDOW = 64 * 1024;
    /** Instructions per cs_disasm call in a sweep: bounds Capstone's native result array (1.7 KB each with detail). */
    private static final int BATCH = 512;
    private static final byte[] TDCALL = {0x66, 0x0F, 0x01, (byte) 0xCC};
    private static final RegisterAccess TDCALL_ACCESS =
            new RegisterAccess(Set.of(X86Register.RAX), Set.of(X86Register.RAX), false, false);

    private final Arch arch;
    private final DecodeDetail detail;
    private final int maxLength;
    private final InstructionCache cache;
    /** Capstone register id → guest register, up to the binding's {@code *_REG_ENDING}. */
    private final GuestRegister[] registerById;
    private final Memory buffer;
    private final long[] insnOut = new long[1];
    private final short[] regsRead = new short[64];
    private final short[] regsWrite = new short[64];
    private final byte[] readCount = new byte[1];
    private final byte[] writeCount = new byte[1];
    private long handle;

    CapstoneDisassembler(Arch arch, DecodeDetail detail, int cacheCapacity) {
        CapstoneLibrary.load(); // before any JNA object: a missing JNA or Capstone is a one-line error, not a trace
        this.buffer = new Memory(WINDOW);
        this.arch = arch;
        this.detail = detail;
        this.maxLength = arch == Arch.X86_64 ? X86_MAX_LENGTH : 4;
        this.cache = new InstructionCache(cacheCapacity, maxLength);
        long[] h = new long[1];
        int err = arch == Arch.X86_64
                ? CapstoneNatives.cs_open(Capstone.CS_ARCH_X86, Capstone.CS_MODE_64, h)
                : CapstoneNatives.cs_open(Capstone.CS_ARCH_ARM64, Capstone.CS_MODE_LITTLE_ENDIAN, h);
        if (err != 0) {
            buffer.close();
            throw new DisassemblerUnavailableException(
                    "Capstone cannot open " + arch + ": " + CapstoneNatives.cs_strerror(err));
        }
        handle = h[0];
        if (detail == DecodeDetail.REGISTERS) {
            CapstoneNatives.cs_option(handle, Capstone.CS_OPT_DETAIL, Capstone.CS_OPT_ON);
        }
        registerById = new GuestRegister[arch == Arch.X86_64 ? X86_const.X86_REG_ENDING : Arm64_const.ARM64_REG_ENDING];
        for (int id = 1; id < registerById.length; id++) {
            registerById[id] = RegisterAliases.lookup(arch, CapstoneNatives.cs_reg_name(handle, id)).orElse(null);
        }
    }

    @Override
    public Arch arch() {
        return arch;
    }

    @Override
    public DecodeDetail detail() {
        return detail;
    }

    @Override
    public synchronized Instruction decode(long address, byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("nothing to decode at 0x" + Long.toHexString(address));
        }
        checkOpen();
        Instruction cached = cache.lookup(address, bytes);
        if (cached != null) {
            return cached;
        }
        int n = Math.min(bytes.length, maxLength);
        buffer.write(0, bytes, 0, n);
        long count = CapstoneNatives.cs_disasm(handle, Pointer.nativeValue(buffer), n, address, 1, insnOut);
        Instruction decoded;
        if (count > 0) {
            try {
                decoded = read(new Pointer(insnOut[0]), 0, insnOut[0]);
            } finally {
                CapstoneNatives.cs_free(insnOut[0], count);
            }
        } else {
            decoded = undecodable(bytes, 0, bytes.length, address);
        }
        if (!decoded.data()) {
            cache.put(decoded);
        }
        return decoded;
    }

    @Override
    public synchronized void sweep(byte[] code, long address, Consumer<Instruction> sink) {
        checkOpen();
        int windowStart = 0;
        int windowLength = 0;
        int pos = 0;
        while (pos < code.length) {
            boolean lastWindow = windowStart + windowLength >= code.length;
            int left = windowStart + windowLength - pos;
            if (left <= 0 || (!lastWindow && left < maxLength)) {
                windowStart = pos;
                windowLength = Math.min(WINDOW, code.length - pos);
                buffer.write(0, code, windowStart, windowLength);
                continue;
            }
            long count = CapstoneNatives.cs_disasm(handle, Pointer.nativeValue(buffer) + (pos - windowStart), left,
                    address + pos, BATCH, insnOut);
            if (count > 0) {
                try {
                    Pointer insns = new Pointer(insnOut[0]);
                    for (long i = 0; i < count; i++) {
                        Instruction insn = read(insns, i * INSN_SIZE, insnOut[0] + i * INSN_SIZE);
                        pos += insn.length();
                        sink.accept(insn);
                    }
                } finally {
                    CapstoneNatives.cs_free(insnOut[0], count);
                }
            }
            if (count == BATCH) {
                continue;
            }
            left = windowStart + windowLength - pos;
            boolean cutByWindow = !lastWindow && left < maxLength;
            if (pos < code.length && left > 0 && !cutByWindow) {
                Instruction data = undecodable(code, pos, code.length - pos, address + pos);
                pos += data.length();
                sink.accept(data);
            }
        }
    }

    @Override
    public synchronized void invalidate(long start, long length) {
        cache.invalidate(start, length);
    }

    @Override
    public synchronized void invalidateAll() {
        cache.clear();
    }

    @Override
    public synchronized CacheStatistics cacheStatistics() {
        return cache.statistics();
    }

    @Override
    public synchronized void close() {
        if (handle != 0) {
            CapstoneNatives.cs_close(new long[] {handle});
            handle = 0;
            buffer.close();
        }
    }

    private void checkOpen() {
        if (handle == 0) {
            throw new IllegalStateException("disassembler is closed");
        }
    }

    /** Reads the cs_insn at {@code base + offset}, whose native address is {@code insnAddress}. */
    private Instruction read(Pointer base, long offset, long insnAddress) {
        long address = base.getLong(offset + INSN_ADDRESS);
        int size = base.getShort(offset + INSN_SIZE_FIELD) & 0xFFFF;
        byte[] bytes = base.getByteArray(offset + INSN_BYTES, size);
        String mnemonic = base.getString(offset + INSN_MNEMONIC, "US-ASCII");
        String operands = base.getString(offset + INSN_OP_STR, "US-ASCII");
        Optional<RegisterAccess> access = detail == DecodeDetail.REGISTERS
                ? Optional.of(access(base, offset, insnAddress, mnemonic, operands))
                : Optional.empty();
        return new Instruction(address, bytes, mnemonic, operands, false, access);
    }

    private RegisterAccess access(Pointer base, long offset, long insnAddress, String mnemonic, String operands) {
        Set<GuestRegister> reads = new HashSet<>();
        Set<GuestRegister> writes = new HashSet<>();
        if (CapstoneNatives.cs_regs_access(handle, insnAddress, regsRead, readCount, regsWrite, writeCount) == 0) {
            collect(regsRead, readCount[0], reads);
            collect(regsWrite, writeCount[0], writes);
        }
        boolean memoryRead = false;
        boolean memoryWrite = false;
        if (arch == Arch.X86_64) {
            long x86 = base.getLong(offset + INSN_DETAIL) + DETAIL_ARCH;
            Pointer p = new Pointer(x86);
            int operandCount = Math.min(p.getByte(X86_OP_COUNT) & 0xFF, 8);
            for (int k = 0; k < operandCount; k++) {
                long op = X86_OPERANDS + (long) k * X86_OPERAND_SIZE;
                if (p.getInt(op) == X86_OP_MEM) {
                    int acc = p.getByte(op + X86_OPERAND_ACCESS);
                    memoryRead |= (acc & CS_AC_READ) != 0;
                    memoryWrite |= (acc & CS_AC_WRITE) != 0;
                }
            }
        }
        return AccessCorrections.correct(arch, mnemonic, operands, reads, writes, memoryRead, memoryWrite);
    }

    private void collect(short[] ids, byte count, Set<GuestRegister> into) {
        int n = Math.min(count & 0xFF, ids.length);
        for (int i = 0; i < n; i++) {
            int id = ids[i] & 0xFFFF;
            GuestRegister r = id < registerById.length ? registerById[id] : null;
            if (r != null) {
                into.add(r);
            }
        }
    }

    /** The pseudo-instruction for bytes Capstone refused at {@code code[pos]} ({@code available} bytes left). */
    private Instruction undecodable(byte[] code, int pos, int available, long address) {
        if (arch == Arch.X86_64) {
            if (available >= TDCALL.length
                    && java.util.Arrays.equals(TDCALL, 0, TDCALL.length, code, pos, pos + TDCALL.length)) {
                return new Instruction(address, TDCALL, "tdcall", "", false,
                        detail == DecodeDetail.REGISTERS ? Optional.of(TDCALL_ACCESS) : Optional.empty());
            }
            // Capstone 4 refuses valid EVEX encodings newer than it (VAES, GFNI, VBMI2, VNNI ...). Stepping one
            // byte would decode the rest of such an instruction out of step, into phantom IN/OUT "sites"; where the
            // length table vouches for the boundary the whole instruction becomes one data item instead.
            int length = X86Lengths.length(code, pos, pos + available);
            if (length > 1) {
                return new Instruction(address, java.util.Arrays.copyOfRange(code, pos, pos + length), ".byte",
                        byteList(code, pos, length), true, Optional.empty());
            }
        } else if (available >= 4) {
            int word = (code[pos] & 0xFF) | (code[pos + 1] & 0xFF) << 8 | (code[pos + 2] & 0xFF) << 16
                    | (code[pos + 3] & 0xFF) << 24;
            return new Instruction(address, java.util.Arrays.copyOfRange(code, pos, pos + 4), ".inst",
                    String.format("0x%08x", word), true, Optional.empty());
        }
        return new Instruction(address, new byte[] {code[pos]}, ".byte", byteList(code, pos, 1), true,
                Optional.empty());
    }

    /** {@code code[pos..pos+length)} as an assembler's {@code .byte} operand list ("0x62, 0xf3, ..."). */
    private static String byteList(byte[] code, int pos, int length) {
        StringBuilder out = new StringBuilder(6 * length);
        for (int i = pos; i < pos + length; i++) {
            out.append(i == pos ? "" : ", ").append(String.format("0x%02x", code[i] & 0xFF));
        }
        return out.toString();
    }
}
