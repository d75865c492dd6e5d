package io.hvprobe.disasm;

/**
 * The few libcapstone 4 functions hvprobe calls, as JNA direct-mapped natives. Handles and pointers travel
 * as {@code long} (LP64). Bound by {@link CapstoneLibrary#load()}; never call before that.
 *
 * <p>Why not the {@code capstone.Capstone} class of the official binding: its 4.0.2 release never calls
 * {@code cs_free} (every decode leaks about 250 bytes of native memory) and its detail mode builds JNA
 * structures reflectively at about 100 microseconds per instruction. The binding still supplies what it gets
 * right: the constants (architectures, modes, options, operand types, register id ranges) come from its
 * tables, and {@code CapstoneLayoutTest} holds the struct offsets read here to its JNA structure layouts.
 */
final class CapstoneNatives {
    private CapstoneNatives() {
    }

    static native int cs_version(int[] major, int[] minor);

    static native int cs_open(int arch, int mode, long[] handle);

    static native int cs_close(long[] handle);

    static native int cs_option(long handle, int type, long value);

    static native long cs_disasm(long handle, long code, long codeSize, long address, long count, long[] insn);

    static native void cs_free(long insn, long count);

    static native int cs_regs_access(long handle, long insn, short[] regsRead, byte[] readCount,
                                     short[] regsWrite, byte[] writeCount);

    static native String cs_reg_name(long handle, int regId);

    static native String cs_strerror(int code);
}
