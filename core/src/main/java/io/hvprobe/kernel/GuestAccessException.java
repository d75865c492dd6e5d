package io.hvprobe.kernel;

/** A kernel-environment function touched guest memory it cannot use; the call ends with a fault there. */
final class GuestAccessException extends RuntimeException {
    private final long address;

    GuestAccessException(long address, String message) {
        super(message, null, false, false);
        this.address = address;
    }

    /** The guest address that could not be used. */
    long address() {
        return address;
    }
}
