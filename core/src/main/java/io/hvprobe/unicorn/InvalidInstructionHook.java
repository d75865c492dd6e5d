package io.hvprobe.unicorn;

/**
 * Called when Unicorn cannot execute an instruction ({@code UC_HOOK_INSN_INVALID}), e.g. x86 {@code vmcall},
 * {@code vmmcall}, {@code ud2}. The program counter is the instruction's address.
 */
@FunctionalInterface
public interface InvalidInstructionHook {
    /**
     * @return true to continue (the hook must have moved the program counter past the instruction),
     *         false to stop emulation with {@link UcError#INSN_INVALID}
     */
    boolean onInvalidInstruction(Unicorn uc);
}
