package io.hvprobe.verify;

/**
 * What one call cost, measured on its executed path.
 *
 * @param instructions    instructions executed (hypercall instructions included)
 * @param memoryReads     instructions that read memory
 * @param memoryWrites    instructions that wrote memory
 * @param stackBytes      deepest stack use below the entry stack pointer
 * @param registersSaved  callee-saved registers stored to the stack (push/stp/str of the register)
 * @param hypercalls      hypercalls executed
 */
public record Cost(long instructions, long memoryReads, long memoryWrites, long stackBytes, long registersSaved,
                   long hypercalls) {
}
