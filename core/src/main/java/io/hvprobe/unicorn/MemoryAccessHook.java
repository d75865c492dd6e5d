package io.hvprobe.unicorn;

/** Observes successful guest memory accesses in a range ({@code UC_HOOK_MEM_READ}/{@code WRITE}/{@code FETCH}). */
@FunctionalInterface
public interface MemoryAccessHook {
    /**
     * @param type    the kind of access
     * @param address the guest address
     * @param size    the access size in bytes
     * @param value   the value being written, for writes (undefined for reads)
     */
    void onAccess(Unicorn uc, UcMemType type, long address, int size, long value);
}
