package io.hvprobe.unicorn;

/** Observes an x86 {@code OUT} ({@code UC_HOOK_INSN}/{@code UC_X86_INS_OUT}). */
@FunctionalInterface
public interface OutHook {
    /**
     * @param port  the I/O port
     * @param size  access size in bytes: 1, 2 or 4
     * @param value the value written
     */
    void onOut(Unicorn uc, int port, int size, int value);
}
