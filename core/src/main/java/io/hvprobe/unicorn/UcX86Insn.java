package io.hvprobe.unicorn;

/**
 * x86 instruction ids for {@code UC_HOOK_INSN} ({@code uc_x86_insn}); Unicorn 2 hooks only these.
 * Each field {@code F} equals {@code UC_X86_INS_F} in the Unicorn 2.0.1 headers (checked by a test that parses them).
 */
public final class UcX86Insn {
    // instructions UC_HOOK_INSN supports on x86
    public static final int IN = 218;
    public static final int OUT = 500;
    public static final int CPUID = 113;
    public static final int SYSCALL = 699;
    public static final int SYSENTER = 700;

    private UcX86Insn() {
    }
}
