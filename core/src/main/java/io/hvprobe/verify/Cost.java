package io.hvprobe.verify;

/**
 * What one call cost, measured on its executed path.
 *
 * @param instructions         instructions executed (hypercall instructions included), all of them
 * @param memoryReads          instructions that read memory
 * @param memoryWrites         instructions that wrote memory
 * @param stackBytes           deepest stack use below the entry stack pointer
 * @param registersSaved       callee-saved registers stored to the stack (push/stp/str of the register)
 * @param hypercalls           hypercalls executed
 * @param analysedInstructions how many instructions, from the start of the path, {@code memoryReads},
 *                             {@code memoryWrites}, {@code stackBytes} and {@code registersSaved} cover: fewer
 *                             than {@code instructions} when the path was longer than the verifier records
 *                             ({@code VerifyOptions.maxPathLength})
 */
public record Cost(long instructions, long memoryReads, long memoryWrites, long stackBytes, long registersSaved,
                   long hypercalls, long analysedInstructions) {

    /**
     * A cost measured on the whole path.
     *
     * @param instructions   instructions executed, all of them
     * @param memoryReads    instructions that read memory
     * @param memoryWrites   instructions that wrote memory
     * @param stackBytes     deepest stack use below the entry stack pointer, in bytes
     * @param registersSaved callee-saved registers stored to the stack
     * @param hypercalls     hypercalls executed
     */
    public Cost(long instructions, long memoryReads, long memoryWrites, long stackBytes, long registersSaved,
                long hypercalls) {
        this(instructions, memoryReads, memoryWrites, stackBytes, registersSaved, hypercalls, instructions);
    }

    /** {@return whether every figure covers the whole path (it was not cut at the path cap)} */
    public boolean complete() {
        return analysedInstructions >= instructions;
    }
}
