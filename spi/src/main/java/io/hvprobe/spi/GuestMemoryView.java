package io.hvprobe.spi;

/**
 * Bounded, read-only access to guest memory for a hypervisor model. Writes go back through
 * {@link TrapOutcome.Handled#memoryWrites()} so the run records them.
 */
public interface GuestMemoryView {

    /** {@return largest single read this view allows} */
    int maxReadSize();

    /**
     * Reads {@code length} bytes at {@code address}.
     *
     * @param address the guest address of the first byte
     * @param length  how many bytes, at most {@link #maxReadSize()}
     * @return a copy of the bytes
     * @throws GuestMemoryException if the range is unmapped, wraps around, or is longer than {@link #maxReadSize()}
     */
    byte[] read(long address, int length) throws GuestMemoryException;

    /**
     * Reads a little-endian 64-bit value.
     *
     * @param address the guest address of its first byte
     * @return the value
     * @throws GuestMemoryException if any of the 8 bytes is unmapped
     */
    default long readLong(long address) throws GuestMemoryException {
        return java.nio.ByteBuffer.wrap(read(address, 8)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * Tells whether the guest could write a range: a model checks this before it writes guest memory.
     *
     * @param address the first guest address
     * @param length  the range's length in bytes
     * @return true when every byte of {@code [address, address + length)} is mapped and writable
     */
    boolean isWritable(long address, long length);

    /** A guest memory access that cannot be satisfied. */
    final class GuestMemoryException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * An access that failed.
         *
         * @param message one line naming the address and why it could not be read
         */
        public GuestMemoryException(String message) {
            super(message);
        }
    }
}
