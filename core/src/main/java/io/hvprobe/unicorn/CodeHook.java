package io.hvprobe.unicorn;

/**
 * Called before an instruction in the hooked range executes ({@code UC_HOOK_CODE}). Setting the program
 * counter here skips the instruction: execution resumes at the new address.
 */
@FunctionalInterface
public interface CodeHook {
    /**
     * @param address the instruction's address
     * @param size    its length in bytes; meaningless when Unicorn cannot decode the instruction
     */
    void onCode(Unicorn uc, long address, int size);
}
