package io.hvprobe.loader;

import io.hvprobe.arch.Arch;

/** Architecture-specific relocation arithmetic and instruction patching. */
sealed interface Relocator permits X86Relocator, Arm64Relocator {

    static Relocator forArch(Arch arch) {
        return arch == Arch.X86_64 ? new X86Relocator() : new Arm64Relocator();
    }

    /**
     * How relocation {@code type} at {@code offset} of a section with {@code contents} uses its symbol.
     * May look at the instruction bytes before the patched field.
     */
    Reference classify(int type, byte[] contents, long offset);

    /** Bytes the relocation patches (0 for NONE). Only called for supported types. */
    int width(int type);

    /** Whether a GOT slot holds S+A (AArch64) rather than S (x86_64). */
    boolean gotSlotIncludesAddend();

    /**
     * Computes and writes relocation {@code type} into {@code buf} at {@code index}.
     *
     * @param place  P, the guest address of the patched field
     * @param symbol S, the symbol's guest address
     * @param addend A
     * @param got    G, the guest address of the symbol's GOT slot (only for GOT types)
     */
    void apply(int type, byte[] buf, int index, long place, long symbol, long addend, long got)
            throws RelocationError;

    /** What dynamic relocation {@code type} is. */
    DynamicKind dynamicKind(int type);

    /** Where the TLS blocks lie relative to the thread pointer on this architecture. */
    TlsLayout.Variant tlsVariant();

    /** A function stub: a single return instruction padded to {@code size}. */
    byte[] returnStub(int size);

    /** Code for a special symbol that must work without hooks, or null if {@code name} is ordinary. */
    byte[] thunk(String name);

    static void put32(byte[] buf, int i, long v) {
        buf[i] = (byte) v;
        buf[i + 1] = (byte) (v >>> 8);
        buf[i + 2] = (byte) (v >>> 16);
        buf[i + 3] = (byte) (v >>> 24);
    }

    static void put64(byte[] buf, int i, long v) {
        put32(buf, i, v);
        put32(buf, i + 4, v >>> 32);
    }

    static int get32(byte[] buf, int i) {
        return (buf[i] & 0xff) | (buf[i + 1] & 0xff) << 8 | (buf[i + 2] & 0xff) << 16 | (buf[i + 3] & 0xff) << 24;
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** Whether signed {@code v} lies in {@code [-2^(bits-1), 2^(bits-1))}. */
    static boolean fitsSigned(long v, int bits) {
        long half = 1L << (bits - 1);
        return v >= -half && v < half;
    }
}
