package io.hvprobe.trap;

import io.hvprobe.guest.Instrumentation;
import io.hvprobe.spi.GuestMemoryView;

import java.util.Locale;

/** A {@link GuestMemoryView} over the emulator's memory, bounded per read. */
final class EmulatorMemoryView implements GuestMemoryView {
    private final Instrumentation uc;
    private final int maxRead;

    EmulatorMemoryView(Instrumentation uc, int maxRead) {
        this.uc = uc;
        this.maxRead = maxRead;
    }

    @Override
    public int maxReadSize() {
        return maxRead;
    }

    @Override
    public byte[] read(long address, int length) throws GuestMemoryException {
        if (length < 0 || length > maxRead) {
            throw new GuestMemoryException(String.format(Locale.ROOT,
                    "read of %d bytes at 0x%x exceeds the %d-byte limit", length, address, maxRead));
        }
        if (length > 0 && address + length - 1 < address) {
            throw new GuestMemoryException(String.format(Locale.ROOT, "read at 0x%x wraps around", address));
        }
        return uc.tryRead(address, length).orElseThrow(() -> new GuestMemoryException(String.format(Locale.ROOT,
                "guest memory 0x%x..0x%x is not mapped", address, address + length)));
    }

    @Override
    public boolean isWritable(long address, long length) {
        return uc.isWritable(address, length);
    }
}
