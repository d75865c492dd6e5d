package io.hvprobe.unicorn;

import java.lang.foreign.MemorySegment;

/**
 * A saved CPU state of one {@link Unicorn} engine ({@code uc_context}): every register, including system,
 * segment-base and vector registers, but no memory. Made by {@link Unicorn#saveContext()}, put back by
 * {@link Unicorn#restoreContext(CpuContext)}; its native memory is freed by {@link #close()} or when the engine
 * closes, whichever comes first.
 */
public final class CpuContext implements AutoCloseable {
    private final Unicorn owner;
    private final MemorySegment pointer;
    private boolean freed;

    CpuContext(Unicorn owner, MemorySegment pointer) {
        this.owner = owner;
        this.pointer = pointer;
    }

    Unicorn owner() {
        return owner;
    }

    MemorySegment pointer() {
        return pointer;
    }

    boolean isFreed() {
        return freed;
    }

    /** Frees the native copy (idempotent). */
    @Override
    public void close() {
        if (!freed) {
            freed = true;
            owner.free(this);
        }
    }
}
