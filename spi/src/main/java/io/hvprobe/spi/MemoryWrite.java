package io.hvprobe.spi;

/**
 * Bytes the hypervisor writes into guest memory (e.g. a high-bandwidth receive buffer).
 *
 * @param address guest virtual address
 * @param data    the bytes (copied)
 */
public record MemoryWrite(long address, byte[] data) {
    /** Copies {@code data}, so the write stays immutable. */
    public MemoryWrite {
        data = data.clone();
    }

    /** {@return a copy of the bytes written} */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** {@return number of bytes written} */
    public int length() {
        return data.length;
    }
}
