package io.hvprobe.spi;

/**
 * Bounded, read-only access to guest memory for a hypervisor model. Writes go back through
 * {@link TrapOutcome.Handled#memoryWrites()} so the run records them.
 */
public interface GuestMemoryView {

    /** Largest single read this view allows. */
    int maxReadSize();

    /**
     * Reads {@code length} bytes at {@code address}.
     *
     * @throws GuestMemoryException if the range is unmapped, wraps around, or is longer than {@link #maxReadSize()}
     */
    byte[] read(long address, int length) throws GuestMemoryException;

    /** Reads a little-endian 64-bit value. */
    default long readLong(long address) throws GuestMemoryException {
        return java.nio.ByteBuffer.wrap(read(address, 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Whether every byte of {@code [address, address + length)} is mapped and writable. */
    boolean isWritable(long address, long length);

    /** A guest memory access that cannot be satisfied. */
    final class GuestMemoryException extends Exception {
        private static final long serialVersionUID = 1L;

        /** With a message naming the address and why. */
        public GuestMemoryException(String message) {
            super(message);
        }
    }
}
