package io.hvprobe.unicorn;

/** Emulates an x86 {@code IN} ({@code UC_HOOK_INSN}/{@code UC_X86_INS_IN}); the result lands in AL/AX/EAX. */
@FunctionalInterface
public interface InHook {
    /**
     * @param port the I/O port (DX or the immediate)
     * @param size access size in bytes: 1, 2 or 4
     * @return the value the instruction reads
     */
    int onIn(Unicorn uc, int port, int size);
}
