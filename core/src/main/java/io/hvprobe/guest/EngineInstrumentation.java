package io.hvprobe.guest;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.unicorn.GuestRegisterIds;
import io.hvprobe.unicorn.MemoryRegion;
import io.hvprobe.unicorn.UcHookType;
import io.hvprobe.unicorn.UcProt;
import io.hvprobe.unicorn.Unicorn;
import io.hvprobe.unicorn.UnicornException;

import java.util.Optional;

/** {@link Instrumentation} over the machine's Unicorn engine: the only implementation. */
final class EngineInstrumentation implements Instrumentation {
    /** Wraps the binding's hook so callers never hold an engine type. */
    record EngineHook(io.hvprobe.unicorn.Hook hook) implements Hook {
    }

    private final Unicorn uc;
    private final int[] snapshotIds;
    /** Register and memory writes made through this face (by hooks: the trap interceptor, steering). */
    private long writes;

    EngineInstrumentation(Unicorn uc, Arch arch) {
        this.uc = uc;
        this.snapshotIds = GuestRegisterIds.snapshotOrder(arch);
    }

    /** How many register or memory writes were made through this face so far. */
    long writes() {
        return writes;
    }

    @Override
    public Hook hookCode(long begin, long end, CodeListener listener) {
        Hook hook = new EngineHook(uc.hookCode(begin, end, (u, address, size) -> listener.onCode(address, size)));
        // Unicorn 2.0.1 calls code hooks only from code translated while they existed: drop the range's translations.
        if (Long.compareUnsigned(begin, end) > 0 || end == -1L) {
            uc.flushCache();
        } else {
            uc.removeCache(begin, end + 1);
        }
        return hook;
    }

    @Override
    public Hook hookMemoryRead(long begin, long end, MemoryListener listener) {
        return new EngineHook(uc.hookMemoryAccess(UcHookType.MEM_READ, begin, end,
                (u, type, address, size, value) -> listener.onAccess(address, size, value)));
    }

    @Override
    public Hook hookMemoryWrite(long begin, long end, MemoryListener listener) {
        return new EngineHook(uc.hookMemoryWrite(begin, end,
                (u, type, address, size, value) -> listener.onAccess(address, size, value)));
    }

    @Override
    public Hook hookIn(PortInListener listener) {
        return new EngineHook(uc.hookIn((u, port, size) -> listener.onIn(port, size)));
    }

    @Override
    public Hook hookOut(PortOutListener listener) {
        return new EngineHook(uc.hookOut((u, port, size, value) -> listener.onOut(port, size, value)));
    }

    @Override
    public Hook hookCpuid(CpuidListener listener) {
        return new EngineHook(uc.hookCpuid(u -> listener.onCpuid()));
    }

    @Override
    public void hookDelete(Hook hook) {
        switch (hook) {
            case EngineHook h -> uc.hookDelete(h.hook());
        }
    }

    @Override
    public void readRegisters(long[] out) {
        uc.regReadBatch(snapshotIds, out);
    }

    @Override
    public RegisterSnapshot readSnapshot() {
        return uc.readSnapshot();
    }

    @Override
    public void writeChanges(RegisterSnapshot from, RegisterSnapshot to) {
        writes++;
        uc.writeChanges(from, to);
    }

    @Override
    public void regWrite(GuestRegister register, long value) {
        writes++;
        uc.regWrite(GuestRegisterIds.of(register), value);
    }

    @Override
    public long pc() {
        return uc.pc();
    }

    @Override
    public Optional<byte[]> tryRead(long address, int length) {
        try {
            return Optional.of(uc.memRead(address, length));
        } catch (UnicornException unmapped) {
            return Optional.empty();
        }
    }

    @Override
    public void memWrite(long address, byte[] data) {
        writes++;
        uc.memWrite(address, data);
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
