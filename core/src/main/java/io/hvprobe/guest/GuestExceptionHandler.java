package io.hvprobe.guest;

/** Gets the first say on a {@link GuestException}; see {@link GuestMachine#addExceptionHandler}. */
@FunctionalInterface
public interface GuestExceptionHandler {
    /**
     * Handles {@code exception} or declines it; called on the emulation thread while the call is stopped at the cause.
     *
     * @param machine   the machine the exception happened on
     * @param exception what happened, and where
     * @return true if handled (the handler moved the program counter past the cause), false to let the next handler,
     *         and finally the machine, treat it as a fault
     */
    boolean handle(GuestMachine machine, GuestException exception);
}
