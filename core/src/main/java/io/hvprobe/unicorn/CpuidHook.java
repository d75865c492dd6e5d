package io.hvprobe.unicorn;

/** Intercepts x86 {@code CPUID} ({@code UC_HOOK_INSN}/{@code UC_X86_INS_CPUID}). */
@FunctionalInterface
public interface CpuidHook {
    /**
     * @return true if the hook set EAX/EBX/ECX/EDX itself and the real CPUID must be skipped,
     *         false to let Unicorn execute CPUID normally
     */
    boolean onCpuid(Unicorn uc);
}
