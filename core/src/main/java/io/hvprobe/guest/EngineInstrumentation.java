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

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link Instrumentation} over the machine's Unicorn engine: the only implementation. */
final class EngineInstrumentation implements Instrumentation {
    /**
     * Wraps the binding's hook so callers never hold an engine type. A code listener's hook may be replaced by an
     * equal one behind the caller's back ({@link #reorderAfterSite}), so the handle is mutable.
     */
    static final class EngineHook implements Hook {
        private io.hvprobe.unicorn.Hook hook;
        /** For code listeners: what to add again when the hook must move behind a site hook; else null. */
        private final CodeRange code;

        EngineHook(io.hvprobe.unicorn.Hook hook) {
            this(hook, null);
        }

        private EngineHook(io.hvprobe.unicorn.Hook hook, CodeRange code) {
            this.hook = hook;
            this.code = code;
        }
    }

    /** A code listener's range, inclusive. */
    private record CodeRange(long begin, long end, CodeListener listener) {
        boolean covers(long address) {
            return Long.compareUnsigned(begin, end) > 0
                    || (Long.compareUnsigned(address, begin) >= 0 && Long.compareUnsigned(address, end) <= 0);
        }
    }

    private final Unicorn uc;
    private final int[] snapshotIds;
    /** Scratch id arrays of {@link #readRegisters(int[], long[], int)}, by batch size. */
    private final int[][] idsByCount;
    /** Register and memory writes made through this face (by hooks: the trap interceptor, steering). */
    private long writes;
    /** Told the address and length of every {@link #memWrite} (a hook writing guest memory). */
    private final HostWrites hostWrites;

    /** What the machine notes of writes from outside the guest. */
    interface HostWrites {
        void wrote(long address, int length);
    }
    /** Trap and BUG site listeners, in the engine only while a call reaches them ({@link #hookSite}). */
    private final SiteHooks sites;
    /** The code listeners added by {@link #hookCode} and not deleted, in the engine's order. */
    private final List<EngineHook> codeListeners = new ArrayList<>();

    EngineInstrumentation(Unicorn uc, Arch arch, HostWrites hostWrites) {
        this.uc = uc;
        this.hostWrites = hostWrites;
        this.snapshotIds = GuestRegisterIds.snapshotOrder(arch);
        this.idsByCount = new int[snapshotIds.length + 1][];
        this.sites = new SiteHooks(uc, this::reorderAfterSite);
    }

    /** How many register or memory writes were made through this face so far. */
    long writes() {
        return writes;
    }

    @Override
    public Hook hookCode(long begin, long end, CodeListener listener) {
        EngineHook hook = new EngineHook(engineCodeHook(begin, end, listener), new CodeRange(begin, end, listener));
        codeListeners.add(hook);
        // Unicorn 2.0.1 calls code hooks only from code translated while they existed: drop the range's translations.
        if (Long.compareUnsigned(begin, end) > 0 || end == -1L) {
            uc.flushCache();
        } else {
            uc.removeCache(begin, end + 1);
        }
        return hook;
    }

    private io.hvprobe.unicorn.Hook engineCodeHook(long begin, long end, CodeListener listener) {
        return uc.hookCode(begin, end, (u, address, size) -> listener.onCode(address, size));
    }

    /** Installed only while a call reaches the site: see {@link SiteHooks} for why. */
    @Override
    public void hookSite(long address, CodeListener listener) {
        sites.add(address, listener);
    }

    /** See {@link SiteHooks#enterBlock}. */
    boolean enterBlock(long address, int size) {
        return sites.enterBlock(address, size);
    }

    /** See {@link SiteHooks#tellNextReach}. */
    void tellNextSiteReach(SiteHooks.Reached reached) {
        sites.tellNextReach(reached);
    }

    /** How many site hooks are in the engine now. */
    int installedSites() {
        return sites.installed();
    }

    /** See {@link SiteHooks#uninstall}. */
    void uninstallSites() {
        sites.uninstall();
    }

    /**
     * Moves the code listeners covering {@code site} behind its hook just added, by adding them again: a site hook
     * that skips its instruction ends the instruction's hook walk, so listeners that observe executed instructions
     * (the path recorder, the tracer) must come after it, as they do for sites hooked before them.
     */
    private void reorderAfterSite(long site) {
        for (EngineHook h : codeListeners) {
            if (h.code.covers(site)) {
                uc.hookDelete(h.hook);
                h.hook = engineCodeHook(h.code.begin(), h.code.end(), h.code.listener());
            }
        }
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
            case EngineHook h -> {
                codeListeners.remove(h);
                uc.hookDelete(h.hook);
            }
        }
    }

    @Override
    public void readRegisters(long[] out) {
        uc.regReadBatch(snapshotIds, out);
    }

    @Override
    public void readRegisters(int[] indexes, long[] out, int count) {
        if (count <= 1) {
            if (count == 1) {
                out[0] = uc.regRead(snapshotIds[indexes[0]]); // no batch to load: one register, one native call
            }
            return;
        }
        // One id array per batch size: the engine's batch takes an array's whole length.
        int[] ids = idsByCount[count];
        if (ids == null) {
            ids = new int[count];
            idsByCount[count] = ids;
        }
        for (int k = 0; k < count; k++) {
            ids[k] = snapshotIds[indexes[k]];
        }
        uc.regReadBatch(ids, out);
    }

    /** Reads register {@code index} of the order {@link #readRegisters} uses (one register: one native call). */
    long readRegister(int index) {
        return uc.regRead(snapshotIds[index]);
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
    public void writeRegisters(int[] indexes, long[] values, int count) {
        writes++;
        uc.writeRegisters(indexes, values, count);
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
        hostWrites.wrote(address, data.length); // a trap's answer: the guest's write hooks do not see it
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
