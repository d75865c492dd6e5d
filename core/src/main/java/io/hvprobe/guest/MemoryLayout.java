package io.hvprobe.guest;

/**
 * Where a {@link GuestMachine} puts things in the guest address space (both architectures).
 * Images are laid out by the loader (default base 0x10000000, below 2 GiB); everything here stays
 * clear of that and of the zero page, so null-pointer accesses fault.
 */
public final class MemoryLayout {
    private MemoryLayout() {
    }

    /** Guest page size. */
    public static final long PAGE = 0x1000;
    /** The page holding the return sentinel: a call ends when the PC reaches {@link #RETURN_SENTINEL}. */
    public static final long SENTINEL_PAGE = 0x0ff0_0000L;
    /** The return address every call gets. */
    public static final long RETURN_SENTINEL = SENTINEL_PAGE;
    /** Per-CPU area (x86_64 GS base; arm64 TPIDR_EL1). The canary sits at offset 40. */
    public static final long PERCPU_BASE = 0x5000_0000L;
    /** Size of the per-CPU area. */
    public static final long PERCPU_SIZE = 0x1_0000L;
    /** Offset of the stack-protector canary inside the per-CPU area ({@code %gs:40}). */
    public static final long CANARY_OFFSET = 40;
    /** Scratch heap for pointer arguments. */
    public static final long HEAP_BASE = 0x6000_0000L;
    /** Largest heap. */
    public static final long MAX_HEAP = 64L << 20;
    /** The kernel environment's heap ({@code kmalloc} and friends), right after the largest scratch heap. */
    public static final long KERNEL_HEAP_BASE = HEAP_BASE + MAX_HEAP;
    /** Largest kernel heap (it must end below the lowest stack). */
    public static final long MAX_KERNEL_HEAP = 256L << 20;
    /** The stack grows down from here. */
    public static final long STACK_TOP = 0x7ff0_0000L;
    /** Largest stack. */
    public static final long MAX_STACK = 64L << 20;

    /**
     * Rounds {@code v} down to a page boundary.
     *
     * @param v an address or size
     * @return {@code v} with its low 12 bits cleared
     */
    public static long pageDown(long v) {
        return v & -PAGE;
    }
}
