package io.hvprobe.unicorn;

/** Intercepts x86 {@code SYSCALL} ({@code UC_HOOK_INSN}/{@code UC_X86_INS_SYSCALL}); execution continues after it. */
@FunctionalInterface
public interface SyscallHook {
    void onSyscall(Unicorn uc);
}
