package io.hvprobe.unicorn;

/**
 * Hook type bits for {@code uc_hook_add} ({@code uc_hook_type} and its combined macros).
 * Each field {@code F} equals {@code UC_HOOK_F} in the Unicorn 2.0.1 headers (checked by a test that parses them).
 */
public final class UcHookType {
    // single events
    public static final int INTR = 1;
    public static final int INSN = 2;
    public static final int CODE = 4;
    public static final int BLOCK = 8;
    public static final int MEM_READ_UNMAPPED = 16;
    public static final int MEM_WRITE_UNMAPPED = 32;
    public static final int MEM_FETCH_UNMAPPED = 64;
    public static final int MEM_READ_PROT = 128;
    public static final int MEM_WRITE_PROT = 256;
    public static final int MEM_FETCH_PROT = 512;
    public static final int MEM_READ = 1024;
    public static final int MEM_WRITE = 2048;
    public static final int MEM_FETCH = 4096;
    public static final int MEM_READ_AFTER = 8192;
    public static final int INSN_INVALID = 16384;

    // combinations defined as macros in unicorn.h
    public static final int MEM_UNMAPPED = 112;
    public static final int MEM_PROT = 896;
    public static final int MEM_INVALID = 1008;

    private UcHookType() {
    }
}
