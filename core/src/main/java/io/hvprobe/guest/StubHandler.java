package io.hvprobe.guest;

/**
 * Java behaviour behind an external function's stub (the kernel environment's {@code kmalloc}, {@code snprintf},
 * ...). Runs on the emulation thread when the guest calls the stub.
 */
@FunctionalInterface
public interface StubHandler {
    /**
     * The value the stub returns. May read and write guest memory, add {@link KernelEvent}s, or end the call
     * with {@link GuestMachine#stop}.
     *
     * @param machine the machine, stopped at the stub
     * @param frame   the call's name, caller and arguments
     * @return the value the stub returns in RAX or X0
     */
    long call(GuestMachine machine, StubFrame frame);
}
