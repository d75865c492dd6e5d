package io.hvprobe.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The part of the binding's set-up that no engine or guest decides: opening libunicorn, making the downcall
 * handles ({@link UcNative}'s static initialiser) and one upcall stub per hook signature. The JDK keeps the stub
 * classes and method-handle forms it spins for these, so the first engine's own stubs and calls find them made.
 * A program that knows early that it will emulate (the CLI, before it parses its command line) runs this on a
 * second thread; a library user need not.
 */
public final class BindingWarmUp {
    private BindingWarmUp() {
    }

    /**
     * Does the set-up on the calling thread. Throws nothing the first engine would not meet as well: a missing
     * library is recorded as {@link UcNative}'s load error, which {@link Unicorn#open} reports.
     */
    public static void run() {
        if (UcNative.LOAD_ERROR != null) {
            return;
        }
        // Throwaway stubs with the engine's signatures and targets: a confined arena frees them on close.
        try (Arena arena = Arena.ofConfined()) {
            HookDispatcher dispatcher = new HookDispatcher(null, MemorySegment.NULL, arena);
            for (HookDispatcher.Kind kind : HookDispatcher.Kind.values()) {
                dispatcher.stub(kind);
            }
        }
    }
}
