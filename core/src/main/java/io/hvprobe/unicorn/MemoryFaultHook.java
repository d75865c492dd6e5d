package io.hvprobe.unicorn;

/** Called for an access to unmapped or protected guest memory ({@code UC_HOOK_MEM_*_UNMAPPED}/{@code *_PROT}). */
@FunctionalInterface
public interface MemoryFaultHook {
    /**
     * @param type    what kind of access faulted
     * @param address the faulting guest address
     * @param size    the access size in bytes
     * @param value   the value being written, for writes
     * @return true if the hook mapped or re-protected the memory and the access should be retried,
     *         false to stop emulation with the matching {@link UcError}
     */
    boolean onFault(Unicorn uc, UcMemType type, long address, int size, long value);
}
