package io.hvprobe.unicorn;

/**
 * Called for a CPU exception or interrupt ({@code UC_HOOK_INTR}). On x86 {@code intno} is the vector
 * ({@code int n}); on arm64 it is QEMU's exception number: 1 = UNDEF (also {@code hvc} and
 * {@code mrs xzr, mdccsr_el0} in Unicorn 2.0.1, PC at the instruction), 2 = SVC, 7 = BKPT,
 * 13 = SMC (PC after the instruction).
 */
@FunctionalInterface
public interface InterruptHook {
    void onInterrupt(Unicorn uc, int intno);
}
