package io.hvprobe.unicorn;

/**
 * A registered hook, returned by the {@code Unicorn.hook*} methods; pass it to {@link Unicorn#hookDelete(Hook)}.
 * Valid only for the engine that created it.
 */
public final class Hook {
    final Unicorn owner;
    final long nativeHandle;
    final int slot;
    boolean deleted;

    Hook(Unicorn owner, long nativeHandle, int slot) {
        this.owner = owner;
        this.nativeHandle = nativeHandle;
        this.slot = slot;
    }

    @Override
    public String toString() {
        return "Hook[" + slot + "]";
    }
}
