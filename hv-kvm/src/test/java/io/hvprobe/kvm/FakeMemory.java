package io.hvprobe.kvm;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.MemoryWrite;

import java.util.Arrays;

/** Guest memory for tests: one byte array mapped at {@code base}. */
final class FakeMemory implements GuestMemoryView {
    private final long base;
    private final byte[] bytes;

    FakeMemory(long base, int size) {
        this.base = base;
        this.bytes = new byte[size];
    }

    @Override
    public int maxReadSize() {
        return 4096;
    }

    @Override
    public byte[] read(long address, int length) throws GuestMemoryException {
        if (!inside(address, length)) {
            throw new GuestMemoryException("unmapped: 0x" + Long.toHexString(address));
        }
        int off = (int) (address - base);
        return Arrays.copyOfRange(bytes, off, off + length);
    }

    @Override
    public boolean isWritable(long address, long length) {
        return inside(address, length);
    }

    private boolean inside(long address, long length) {
        return length >= 0 && address >= base && address - base <= bytes.length - length;
    }

    void apply(MemoryWrite w) {
        System.arraycopy(w.data(), 0, bytes, (int) (w.address() - base), w.length());
    }
}
