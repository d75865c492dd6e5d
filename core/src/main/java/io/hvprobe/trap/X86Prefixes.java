package io.hvprobe.trap;

/**
 * The prefixes in front of an x86 trap instruction.
 *
 * @param rep          {@code F3} present
 * @param repne        {@code F2} present
 * @param operandSize  {@code 66} present (16-bit operands for port I/O)
 * @param addressSize  {@code 67} present (32-bit addressing and ECX count for string I/O)
 * @param segment      the last segment-override byte ({@code 26 2E 36 3E 64 65}), or 0
 * @param rex          the REX byte ({@code 40..4F}) directly before the opcode, or 0
 * @param length       number of prefix bytes, REX included
 */
public record X86Prefixes(boolean rep, boolean repne, boolean operandSize, boolean addressSize, int segment,
                          int rex, int length) {

    /** No prefixes at all. */
    public static final X86Prefixes NONE = new X86Prefixes(false, false, false, false, 0, 0, 0);

    /** {@return whether {@code F3} or {@code F2} is present: both repeat INS/OUTS} */
    public boolean anyRep() {
        return rep || repne;
    }
}
