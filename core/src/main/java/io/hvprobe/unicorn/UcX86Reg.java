package io.hvprobe.unicorn;

/**
 * x86 register ids for {@code uc_reg_read}/{@code uc_reg_write} ({@code uc_x86_reg}).
 * Each field {@code F} equals {@code UC_X86_REG_F} in the Unicorn 2.0.1 headers (checked by a test that parses them).
 */
public final class UcX86Reg {
    // 64-bit general registers, instruction pointer and flags
    public static final int RAX = 35;
    public static final int RBX = 37;
    public static final int RCX = 38;
    public static final int RDX = 40;
    public static final int RSI = 43;
    public static final int RDI = 39;
    public static final int RBP = 36;
    public static final int RSP = 44;
    public static final int R8 = 106;
    public static final int R9 = 107;
    public static final int R10 = 108;
    public static final int R11 = 109;
    public static final int R12 = 110;
    public static final int R13 = 111;
    public static final int R14 = 112;
    public static final int R15 = 113;
    public static final int RIP = 41;
    public static final int RFLAGS = 253;

    // 32-bit views; Unicorn writes only the low half (no zero extension), so write the 64-bit register instead
    public static final int EAX = 19;
    public static final int EBX = 21;
    public static final int ECX = 22;
    public static final int EDX = 24;
    public static final int ESI = 29;
    public static final int EDI = 23;
    public static final int EBP = 20;
    public static final int ESP = 30;
    public static final int EIP = 26;
    public static final int EFLAGS = 25;

    // segment selectors (16-bit values)
    public static final int CS = 11;
    public static final int DS = 17;
    public static final int ES = 28;
    public static final int FS = 32;
    public static final int GS = 33;
    public static final int SS = 49;

    // segment bases of long mode
    public static final int FS_BASE = 250;
    public static final int GS_BASE = 251;

    // control registers
    public static final int CR0 = 50;
    public static final int CR2 = 52;
    public static final int CR3 = 53;
    public static final int CR4 = 54;
    public static final int CR8 = 58;

    // model-specific registers: the value is a uc_x86_msr struct, use Unicorn.msrRead/msrWrite
    public static final int MSR = 248;

    private UcX86Reg() {
    }
}
