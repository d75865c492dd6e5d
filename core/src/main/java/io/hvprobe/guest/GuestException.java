package io.hvprobe.guest;

/**
 * An exception the guest raised that the machine alone would treat as a fault: an invalid instruction
 * (x86 {@code vmcall}/{@code vmmcall}/{@code tdcall}) or an interrupt (arm64 {@code hvc}, {@code smc}, UNDEF).
 * {@link GuestExceptionHandler}s get the first say (the trap interceptor's safety net).
 *
 * @param kind          invalid instruction or interrupt
 * @param interrupt     the interrupt number for {@link Kind#INTERRUPT}, else -1
 * @param pc            the program counter Unicorn reports (for arm64 SMC: the instruction after it)
 */
public record GuestException(Kind kind, int interrupt, long pc) {
    /** Exception categories. */
    public enum Kind {
        /** {@code UC_HOOK_INSN_INVALID}. */
        INVALID_INSTRUCTION,
        /** {@code UC_HOOK_INTR}. */
        INTERRUPT
    }
}
