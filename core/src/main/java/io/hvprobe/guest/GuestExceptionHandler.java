package io.hvprobe.guest;

/** Gets the first say on a {@link GuestException}; see {@link GuestMachine#addExceptionHandler}. */
@FunctionalInterface
public interface GuestExceptionHandler {
    /**
     * @return true if handled (the handler moved the program counter past the cause), false to let
     *         the next handler, and finally the machine, treat it as a fault
     */
    boolean handle(GuestMachine machine, GuestException exception);
}
