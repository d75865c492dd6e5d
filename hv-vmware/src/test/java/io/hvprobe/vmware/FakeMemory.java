package io.hvprobe.vmware;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.MemoryWrite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Guest memory for tests: one byte array mapped at {@code base}. */
final class FakeMemory implements GuestMemoryView {
    private final long base;
    private final byte[] bytes;
    private final int maxRead;
    private long readBytes;

    FakeMemory(long base, int size, int maxRead) {
        this.base = base;
        this.bytes = new byte[size];
        this.maxRead = maxRead;
    }

    FakeMemory(long base, int size) {
        this(base, size, 4096);
    }

    @Override
    public int maxReadSize() {
        return maxRead;
    }

    @Override
    public byte[] read(long address, int length) throws GuestMemoryException {
        if (length > maxRead || !inside(address, length)) {
            throw new GuestMemoryException("unmapped or too long: 0x" + Long.toHexString(address) + "+" + length);
        }
        readBytes += length;
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
        if (!inside(w.address(), w.length())) {
            throw new AssertionError("model wrote outside memory: 0x" + Long.toHexString(w.address()));
        }
        System.arraycopy(w.data(), 0, bytes, (int) (w.address() - base), w.length());
    }

    void put(long address, byte[] data) {
        System.arraycopy(data, 0, bytes, (int) (address - base), data.length);
    }

    void putString(long address, String s) {
        put(address, s.getBytes(StandardCharsets.UTF_8));
    }

    String string(long address, int length) {
        int off = (int) (address - base);
        return new String(bytes, off, length, StandardCharsets.UTF_8);
    }

    long u64(long address) {
        return ByteBuffer.wrap(bytes, (int) (address - base), 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    void putU64(long address, long value) {
        ByteBuffer.wrap(bytes, (int) (address - base), 8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
    }

    long readBytes() {
        return readBytes;
    }
}
