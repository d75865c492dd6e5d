package io.hvprobe.guest;

import io.hvprobe.arch.RegisterSnapshot;

import java.util.List;

/** How a {@link GuestCall} ended. */
public sealed interface CallResult {

    /** Registers at the end of the call. */
    RegisterSnapshot registers();

    /** External functions the guest called, in order. */
    List<StubCall> stubCalls();

    /** Contents of each {@link Argument.Buffer} after the call, by argument index (null for values). */
    List<byte[]> buffers();

    /**
     * The function returned to its caller.
     *
     * @param value the raw return register (RAX / X0)
     */
    record Returned(long value, RegisterSnapshot registers, List<StubCall> stubCalls, List<byte[]> buffers)
            implements CallResult {
        public Returned {
            stubCalls = List.copyOf(stubCalls);
            buffers = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(buffers));
        }
    }

    /** The call stopped abnormally. */
    record Faulted(Fault fault, RegisterSnapshot registers, List<StubCall> stubCalls, List<byte[]> buffers)
            implements CallResult {
        public Faulted {
            stubCalls = List.copyOf(stubCalls);
            buffers = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(buffers));
        }
    }
}
