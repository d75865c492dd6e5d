package io.hvprobe.spi;

/**
 * Bytes the hypervisor writes into guest memory (e.g. a high-bandwidth receive buffer).
 *
 * @param address guest virtual address
 * @param data    the bytes (copied)
 */
public record MemoryWrite(long address, byte[] data) {
    public MemoryWrite {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Number of bytes written. */
    public int length() {
        return data.length;
    }
}
