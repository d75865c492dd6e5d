package io.hvprobe.trap;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.unicorn.MemoryRegion;
import io.hvprobe.unicorn.UcProt;
import io.hvprobe.unicorn.Unicorn;
import io.hvprobe.unicorn.UnicornException;

import java.util.Locale;

/** A {@link GuestMemoryView} over the emulator's memory, bounded per read. */
final class EmulatorMemoryView implements GuestMemoryView {
    private final Unicorn uc;
    private final int maxRead;

    EmulatorMemoryView(Unicorn uc, int maxRead) {
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
        try {
            return uc.memRead(address, length);
        } catch (UnicornException e) {
            throw new GuestMemoryException(String.format(Locale.ROOT,
                    "guest memory 0x%x..0x%x is not mapped", address, address + length));
        }
    }

    @Override
    public boolean isWritable(long address, long length) {
        if (length <= 0) {
            return length == 0;
        }
        long end = address + length - 1;
        if (end < address) {
            return false;
        }
        long cursor = address;
        // Regions are sorted and non-overlapping; walk them to cover [address, end].
        for (MemoryRegion r : uc.memRegions()) {
            if (r.end() < cursor) {
                continue;
            }
            if (r.begin() > cursor || (r.perms() & UcProt.WRITE) == 0) {
                return false;
            }
            if (r.end() >= end) {
                return true;
            }
            cursor = r.end() + 1;
        }
        return false;
    }
}
