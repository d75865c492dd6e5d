package io.hvprobe.guest;

import io.hvprobe.arch.RegisterSnapshot;

import java.util.List;

/** How a {@link GuestCall} ended. */
public sealed interface CallResult {

    /** {@return the registers at the end of the call} */
    RegisterSnapshot registers();

    /** {@return the external functions the guest called, in order} */
    List<StubCall> stubCalls();

    /** {@return the contents of each {@link Argument.Buffer} after the call, by argument index (null for values)} */
    List<byte[]> buffers();

    /**
     * The function returned to its caller.
     *
     * @param registers registers at the return
     * @param stubCalls external functions the guest called, in order (copied)
     * @param buffers   contents of each buffer argument after the call, by argument index (null for values)
     * @param value the raw return register (RAX / X0)
     */
    record Returned(long value, RegisterSnapshot registers, List<StubCall> stubCalls, List<byte[]> buffers)
            implements CallResult {
        /**
         * Copies the lists (buffers may hold nulls).
         *
         * @param value     the raw return register
         * @param registers registers at the return
         * @param stubCalls external functions called (copied)
         * @param buffers   buffer contents by argument index (copied list; null for values)
         */
        public Returned {
            stubCalls = List.copyOf(stubCalls);
            buffers = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(buffers));
        }
    }

    /**
     * The call stopped abnormally.
     *
     * @param fault     why it stopped, and where
     * @param registers registers when it stopped
     * @param stubCalls external functions the guest called, in order (copied)
     * @param buffers   contents of each buffer argument when it stopped, by argument index (null for values)
     */
    record Faulted(Fault fault, RegisterSnapshot registers, List<StubCall> stubCalls, List<byte[]> buffers)
            implements CallResult {
        /**
         * Copies the lists (buffers may hold nulls).
         *
         * @param fault     why it stopped
         * @param registers registers when it stopped
         * @param stubCalls external functions called (copied)
         * @param buffers   buffer contents by argument index (copied list; null for values)
         */
        public Faulted {
            stubCalls = List.copyOf(stubCalls);
            buffers = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(buffers));
        }
    }
}
