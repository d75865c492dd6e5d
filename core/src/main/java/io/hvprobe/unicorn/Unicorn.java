package io.hvprobe.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One Unicorn CPU emulator instance ({@code uc_engine}) for x86_64 or little-endian arm64.
 * <p>
 * Every failed Unicorn call throws {@link UnicornException} with the typed {@link UcError}. Hooks are Java
 * functional interfaces; if hook code throws, emulation stops and {@link #emuStart} throws
 * {@link HookFailedException} after Unicorn has returned. Native memory (upcall stubs, register buffers) lives in
 * an arena owned by the engine and is released by {@link #close()}.
 * <p>
 * Not thread-safe: use an engine from one thread at a time. Hook callbacks run on the thread that called
 * {@link #emuStart}.
 */
public final class Unicorn implements AutoCloseable {
    private static final long PAGE_ALIGNED = 0xFFF;

    private final Arch arch;
    private final Arena arena;
    private final MemorySegment uc;
    /** Scratch for single values: a register (8 bytes), a uc_x86_msr (16), an out pointer plus a count. */
    private final MemorySegment scratch;
    /**
     * {@link #scratch} as the single-register read's and write's downcalls take it: a view of the same address
     * without the arena's scope, as in {@link RegisterBatch} (a shared arena's segment passed to a downcall acquires
     * and releases its session: two atomic updates on every trap's write-back and loop-watch read). The arena
     * outlives every call: each checks that the engine is open, and only {@link #close} closes the arena.
     */
    private final MemorySegment scratchArgument;
    private final RegisterBatch batch;
    private final HookDispatcher hooks;
    private final long[] snapshotValues;
    /** Scratch for {@link #writeChanges}: a trap's write-back allocates nothing. */
    private final int[] changedIds;
    private final long[] changedValues;
    /** Saved CPU contexts not yet freed; the engine frees them when it closes. */
    private final List<CpuContext> contexts = new ArrayList<>();
    private boolean closed;
    private boolean running;
    private boolean stopRequested;

    private Unicorn(Arch arch, Arena arena, MemorySegment uc) {
        this.arch = arch;
        this.arena = arena;
        this.uc = uc;
        this.scratch = arena.allocate(32, 8);
        this.scratchArgument = MemorySegment.ofAddress(scratch.address());
        this.batch = new RegisterBatch(uc, arena);
        this.hooks = new HookDispatcher(this, uc, arena);
        this.snapshotValues = new long[arch.registers().size()];
        this.changedIds = new int[arch.registers().size()];
        this.changedValues = new long[arch.registers().size()];
    }

    /**
     * Opens an engine: {@code UC_ARCH_X86}/{@code UC_MODE_64} for {@link Arch#X86_64},
     * {@code UC_ARCH_ARM64}/little endian for {@link Arch#ARM64}.
     *
     * @throws UnicornUnavailableException if libunicorn is not installed
     */
    public static Unicorn open(Arch arch) {
        UcNative.requireLoaded();
        int ucArch = arch == Arch.X86_64 ? UcEnums.ARCH_X86 : UcEnums.ARCH_ARM64;
        int ucMode = arch == Arch.X86_64 ? UcEnums.MODE_64 : UcEnums.MODE_ARM | UcEnums.MODE_LITTLE_ENDIAN;
        Arena arena = Arena.ofShared();
        MemorySegment engine = MemorySegment.NULL;
        try {
            MemorySegment out = arena.allocate(ADDRESS);
            int err = (int) UcNative.UC_OPEN.invokeExact(ucArch, ucMode, out);
            UnicornException.check("uc_open", err);
            engine = out.get(ADDRESS, 0);
            return new Unicorn(arch, arena, engine);
        } catch (Throwable t) {
            if (!engine.equals(MemorySegment.NULL)) {
                closeQuietly(engine, t); // the engine was opened but the Java side could not be set up
            }
            arena.close();
            throw UcNative.rethrow(t);
        }
    }

    private static void closeQuietly(MemorySegment engine, Throwable cause) {
        try {
            int ignored = (int) UcNative.UC_CLOSE.invokeExact(engine);
        } catch (Throwable closeFailed) {
            cause.addSuppressed(closeFailed);
        }
    }

    /** The library version, e.g. {@code "2.0.1"}. */
    public static String libraryVersion() {
        UcNative.requireLoaded();
        try {
            int v = (int) UcNative.UC_VERSION.invokeExact(MemorySegment.NULL, MemorySegment.NULL);
            return (v >>> 24) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF);
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        }
    }

    /** The guest architecture. */
    public Arch arch() {
        return arch;
    }

    // ---------------------------------------------------------------- memory

    /** Maps {@code size} bytes at {@code address} (both 4 KiB aligned) with {@link UcProt} {@code perms}. */
    public void memMap(long address, long size, int perms) {
        ensureOpen();
        requirePageAligned(address, size);
        call("uc_mem_map", () -> (int) UcNative.UC_MEM_MAP.invokeExact(uc, address, size, perms));
    }

    /** Unmaps {@code size} bytes at {@code address} (both 4 KiB aligned). */
    public void memUnmap(long address, long size) {
        ensureOpen();
        requirePageAligned(address, size);
        call("uc_mem_unmap", () -> (int) UcNative.UC_MEM_UNMAP.invokeExact(uc, address, size));
    }

    /** Changes the permissions of {@code size} bytes at {@code address} (both 4 KiB aligned). */
    public void memProtect(long address, long size, int perms) {
        ensureOpen();
        requirePageAligned(address, size);
        call("uc_mem_protect", () -> (int) UcNative.UC_MEM_PROTECT.invokeExact(uc, address, size, perms));
    }

    /** Reads {@code length} bytes of guest memory. */
    public byte[] memRead(long address, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        byte[] data = new byte[length];
        memRead(address, MemorySegment.ofArray(data));
        return data;
    }

    /** Fills {@code dst} (native or heap segment) with guest memory starting at {@code address}. */
    public void memRead(long address, MemorySegment dst) {
        ensureOpen();
        call("uc_mem_read", () -> (int) UcNative.UC_MEM_READ.invokeExact(uc, address, dst, dst.byteSize()));
    }

    /** Writes {@code data} to guest memory at {@code address}. */
    public void memWrite(long address, byte[] data) {
        memWrite(address, MemorySegment.ofArray(data));
    }

    /** Writes the contents of {@code src} (native or heap segment) to guest memory at {@code address}. */
    public void memWrite(long address, MemorySegment src) {
        ensureOpen();
        call("uc_mem_write", () -> (int) UcNative.UC_MEM_WRITE.invokeExact(uc, address, src, src.byteSize()));
    }

    /** The mapped regions, in address order. */
    @SuppressWarnings("restricted") // sizes the array Unicorn returned to count * sizeof(uc_mem_region)
    public List<MemoryRegion> memRegions() {
        ensureOpen();
        MemorySegment regionsOut = scratch.asSlice(0, ADDRESS);
        MemorySegment countOut = scratch.asSlice(8, JAVA_INT);
        call("uc_mem_regions", () -> (int) UcNative.UC_MEM_REGIONS.invokeExact(uc, regionsOut, countOut));
        MemorySegment array = regionsOut.get(ADDRESS, 0);
        int count = countOut.get(JAVA_INT, 0);
        try {
            // struct uc_mem_region { uint64_t begin; uint64_t end; uint32_t perms; } -> 24 bytes
            MemorySegment regions = array.reinterpret(24L * count);
            List<MemoryRegion> result = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long base = 24L * i;
                result.add(new MemoryRegion(regions.get(JAVA_LONG, base), regions.get(JAVA_LONG, base + 8),
                        regions.get(JAVA_INT, base + 16)));
            }
            return List.copyOf(result);
        } finally {
            if (!array.equals(MemorySegment.NULL)) {
                call("uc_free", () -> (int) UcNative.UC_FREE.invokeExact(array));
            }
        }
    }

    // ---------------------------------------------------------------- registers

    /** Reads register {@code id} ({@link UcX86Reg} / {@link UcArm64Reg}); narrower registers are zero-extended. */
    public long regRead(int id) {
        ensureOpen();
        scratch.set(JAVA_LONG, 0, 0L);
        int err;
        try {
            err = (int) UcNative.UC_REG_READ.invokeExact(uc, id, scratchArgument);
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        }
        UnicornException.check("uc_reg_read", err);
        return scratch.get(JAVA_LONG, 0);
    }

    /** Writes register {@code id}; narrower registers take the low bytes of {@code value}. */
    public void regWrite(int id, long value) {
        ensureOpen();
        scratch.set(JAVA_LONG, 0, value);
        // Called from trap hooks on every intercepted instruction: no lambda, no allocation.
        int err;
        try {
            err = (int) UcNative.UC_REG_WRITE.invokeExact(uc, id, scratchArgument);
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        }
        UnicornException.check("uc_reg_write", err);
    }

    /**
     * Reads {@code ids.length} registers into {@code out} with one {@code uc_reg_read_batch} call.
     * Allocation-free: it reuses native buffers owned by this engine.
     */
    public void regReadBatch(int[] ids, long[] out) {
        ensureOpen();
        batch.read(ids, out);
    }

    /** Writes {@code values[i]} to register {@code ids[i]} with one {@code uc_reg_write_batch} call; allocation-free. */
    public void regWriteBatch(int[] ids, long[] values) {
        ensureOpen();
        batch.write(ids, values);
    }

    /** The general registers, program counter and flags (see {@link Arch#registers()}). */
    public RegisterSnapshot readSnapshot() {
        regReadBatch(GuestRegisterIds.shared(arch), snapshotValues);
        return RegisterSnapshot.of(arch, snapshotValues);
    }

    /** Writes every register of {@code snapshot}, including the program counter and flags. */
    public void writeSnapshot(RegisterSnapshot snapshot) {
        if (snapshot.arch() != arch) {
            throw new IllegalArgumentException(snapshot.arch() + " snapshot for an " + arch + " engine");
        }
        regWriteBatch(GuestRegisterIds.shared(arch), snapshot.toArray());
    }

    /**
     * Writes, in one batch, only the registers whose value differs between {@code from} and {@code to}: what a
     * handled trap changed (the registers it wrote and the program counter), not the whole snapshot.
     */
    public void writeChanges(RegisterSnapshot from, RegisterSnapshot to) {
        if (from.arch() != arch || to.arch() != arch) {
            throw new IllegalArgumentException("snapshots for another architecture than " + arch);
        }
        writeChanges(from.toArray(), to.toArray());
    }

    /** As {@link #writeChanges(RegisterSnapshot, RegisterSnapshot)}, from values in {@link Arch#registers()} order. */
    private void writeChanges(long[] from, long[] to) {
        int[] all = GuestRegisterIds.shared(arch);
        if (from.length != all.length || to.length != all.length) {
            throw new IllegalArgumentException(arch + " has " + all.length + " snapshot registers, not "
                    + from.length + " / " + to.length);
        }
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            if (from[i] != to[i]) {
                changedIds[n] = all[i];
                changedValues[n++] = to[i];
            }
        }
        if (n > 0) {
            ensureOpen();
            batch.write(changedIds, changedValues, n);
        }
    }

    /**
     * Writes {@code count} registers given by their {@link io.hvprobe.arch.GuestRegister#index()}, in one batch.
     *
     * @param indexes register indexes in {@link Arch#registers()} order
     * @param values  their new values
     * @param count   how many to write; nothing happens for 0
     */
    public void writeRegisters(int[] indexes, long[] values, int count) {
        if (count == 0) {
            return;
        }
        int[] all = GuestRegisterIds.shared(arch);
        for (int k = 0; k < count; k++) {
            changedIds[k] = all[indexes[k]];
        }
        ensureOpen();
        batch.write(changedIds, values, count);
    }

    /** The program counter (RIP or PC). */
    public long pc() {
        return regRead(arch == Arch.X86_64 ? UcX86Reg.RIP : UcArm64Reg.PC);
    }

    /** Sets the program counter; inside a hook this makes execution continue at {@code address}. */
    public void setPc(long address) {
        regWrite(arch == Arch.X86_64 ? UcX86Reg.RIP : UcArm64Reg.PC, address);
    }

    /** Reads x86 model-specific register {@code msr} (e.g. 0xC0000100 for IA32_FS_BASE). */
    public long msrRead(int msr) {
        requireX86("MSR access");
        ensureOpen();
        scratch.set(JAVA_INT, 0, msr);
        scratch.set(JAVA_LONG, 8, 0L);
        call("uc_reg_read(MSR)", () -> (int) UcNative.UC_REG_READ.invokeExact(uc, UcX86Reg.MSR, scratch));
        return scratch.get(JAVA_LONG, 8);
    }

    /** Writes x86 model-specific register {@code msr}. */
    public void msrWrite(int msr, long value) {
        requireX86("MSR access");
        ensureOpen();
        // struct uc_x86_msr { uint32_t rid; uint64_t value; } -> value at offset 8
        scratch.set(JAVA_INT, 0, msr);
        scratch.set(JAVA_LONG, 8, value);
        call("uc_reg_write(MSR)", () -> (int) UcNative.UC_REG_WRITE.invokeExact(uc, UcX86Reg.MSR, scratch));
    }

    // ---------------------------------------------------------------- emulation

    /**
     * Emulates from {@code begin} until the program counter reaches {@code until}, the timeout elapses, {@code count}
     * instructions ran, or {@link #emuStop()} is called.
     *
     * @param timeoutMicros 0 for no timeout. Unicorn 2.0.1's timeout is not dependable: its flag was seen set long
     *                      before the deadline, and a 20 ms timeout was seen not to end {@code jmp $} on a loaded
     *                      machine; the guest machine passes 0 and stops the engine with {@link #interrupt()} from a
     *                      timer of its own
     * @param count         0 for no instruction limit
     * @return why emulation ended
     * @throws UnicornException    if Unicorn stopped with an error (unmapped access, invalid instruction, ...)
     * @throws HookFailedException if hook code threw (the engine stays usable)
     */
    public StopReason emuStart(long begin, long until, long timeoutMicros, long count) {
        ensureOpen();
        if (running) {
            throw new IllegalStateException("emuStart called from inside a hook");
        }
        running = true;
        stopRequested = false;
        hooks.resetRun();
        int err;
        try {
            err = (int) UcNative.UC_EMU_START.invokeExact(uc, begin, until, timeoutMicros, count);
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        } finally {
            running = false;
        }
        HookFailedException failure = hooks.takeFailure();
        if (failure != null) {
            if (err != 0) {
                failure.addSuppressed(new UnicornException("uc_emu_start", err));
            }
            throw failure;
        }
        UnicornException.check("uc_emu_start", err);
        return stopReason(until, count);
    }

    private StopReason stopReason(long until, long count) {
        if (stopRequested) {
            return StopReason.STOP_REQUESTED;
        }
        if (hooks.invalidInstructionHandled()) {
            return StopReason.INVALID_INSTRUCTION_HANDLED;
        }
        scratch.set(JAVA_LONG, 0, 0L);
        call("uc_query", () -> (int) UcNative.UC_QUERY.invokeExact(uc, UcEnums.QUERY_TIMEOUT, scratch));
        if (scratch.get(JAVA_LONG, 0) != 0) {
            return StopReason.TIMEOUT;
        }
        long pc = pc();
        if (pc == until) {
            return StopReason.REACHED_END;
        }
        // Unicorn reports neither an instruction count nor a halt, and both leave the PC on the next instruction:
        // a halt is recognised by the hlt byte right before the PC.
        return count != 0 && !haltedAt(pc) ? StopReason.COUNT_EXHAUSTED : StopReason.OTHER;
    }

    /** Whether the x86 instruction just before {@code pc} was {@code hlt} ({@code F4}), which ends emulation. */
    private boolean haltedAt(long pc) {
        if (arch != Arch.X86_64) {
            return false;
        }
        scratch.set(JAVA_LONG, 0, 0L);
        MemorySegment oneByte = scratch.asSlice(0, 1);
        try {
            int err = (int) UcNative.UC_MEM_READ.invokeExact(uc, pc - 1, oneByte, 1L);
            return err == 0 && oneByte.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0) == (byte) 0xF4;
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        }
    }

    /** {@code UC_CTL_WRITE(UC_CTL_TB_REMOVE_CACHE, 2)}: control type 9, two arguments, written. */
    private static final int CTL_TB_REMOVE_CACHE = 9 | (2 << 26) | (1 << 30);
    /** {@code UC_CTL_WRITE(UC_CTL_TB_FLUSH, 0)}: control type 10, no arguments, written. */
    private static final int CTL_TB_FLUSH = 10 | (1 << 30);

    /** Drops all translated code ({@code uc_ctl_flush_tb}), for the same reason as {@link #removeCache}. */
    public void flushCache() {
        ensureOpen();
        call("uc_ctl", () -> (int) UcNative.UC_CTL.invokeExact(uc, CTL_TB_FLUSH));
    }

    /**
     * Drops the translated code of {@code [begin, end)} ({@code uc_ctl_remove_cache}), so it is translated again
     * with the hooks that exist now: Unicorn puts code and count hooks into the code it translates, and code
     * translated before a hook was added does not call it.
     */
    public void removeCache(long begin, long end) {
        ensureOpen();
        call("uc_ctl", () -> (int) UcNative.UC_CTL_RANGE.invokeExact(uc, CTL_TB_REMOVE_CACHE, begin, end));
    }

    /**
     * Asks a running emulation to stop, from another thread (a watchdog): unlike {@link #emuStop()} the stop is not
     * recorded as requested, so the caller that armed the watchdog tells why emulation ended. Harmless when no
     * emulation runs.
     */
    public void interrupt() {
        ensureOpen();
        call("uc_emu_stop", () -> (int) UcNative.UC_EMU_STOP.invokeExact(uc));
    }

    /** Asks a running emulation to stop (from a hook); {@link #emuStart} then returns {@link StopReason#STOP_REQUESTED}. */
    public void emuStop() {
        ensureOpen();
        stopRequested = true;
        call("uc_emu_stop", () -> (int) UcNative.UC_EMU_STOP.invokeExact(uc));
    }

    // ---------------------------------------------------------------- hooks

    /** Calls {@code hook} before each instruction in {@code [begin, end]} (inclusive; {@code begin > end}: everywhere). */
    public Hook hookCode(long begin, long end, CodeHook hook) {
        return addHook(UcHookType.CODE, HookDispatcher.Kind.CODE, hook, begin, end, -1);
    }

    /**
     * Calls {@code hook} when a translation block starting in {@code [begin, end]} is entered ({@code begin > end}:
     * everywhere), with the block's address and size in bytes.
     */
    public Hook hookBlock(long begin, long end, CodeHook hook) {
        return addHook(UcHookType.BLOCK, HookDispatcher.Kind.CODE, hook, begin, end, -1);
    }

    /** Calls {@code hook} on CPU exceptions and interrupts. */
    public Hook hookInterrupt(InterruptHook hook) {
        return addHook(UcHookType.INTR, HookDispatcher.Kind.INTERRUPT, hook, 1, 0, -1);
    }

    /** Calls {@code hook} on instructions Unicorn cannot execute. */
    public Hook hookInvalidInstruction(InvalidInstructionHook hook) {
        return addHook(UcHookType.INSN_INVALID, HookDispatcher.Kind.INVALID_INSN, hook, 1, 0, -1);
    }

    /** Emulates x86 {@code IN} with {@code hook}. */
    public Hook hookIn(InHook hook) {
        requireX86("IN hooks");
        return addHook(UcHookType.INSN, HookDispatcher.Kind.IN, hook, 1, 0, UcX86Insn.IN);
    }

    /** Calls {@code hook} on x86 {@code OUT}. */
    public Hook hookOut(OutHook hook) {
        requireX86("OUT hooks");
        return addHook(UcHookType.INSN, HookDispatcher.Kind.OUT, hook, 1, 0, UcX86Insn.OUT);
    }

    /** Calls {@code hook} on x86 {@code CPUID}. */
    public Hook hookCpuid(CpuidHook hook) {
        requireX86("CPUID hooks");
        return addHook(UcHookType.INSN, HookDispatcher.Kind.CPUID, hook, 1, 0, UcX86Insn.CPUID);
    }

    /** Calls {@code hook} on x86 {@code SYSCALL}. */
    public Hook hookSyscall(SyscallHook hook) {
        requireX86("SYSCALL hooks");
        return addHook(UcHookType.INSN, HookDispatcher.Kind.SYSCALL, hook, 1, 0, UcX86Insn.SYSCALL);
    }

    /**
     * Calls {@code hook} on invalid memory accesses anywhere.
     *
     * @param types a non-empty subset of {@link UcHookType#MEM_INVALID}, e.g. {@link UcHookType#MEM_UNMAPPED}
     */
    public Hook hookMemoryFault(int types, MemoryFaultHook hook) {
        if (types == 0 || (types & ~UcHookType.MEM_INVALID) != 0) {
            throw new IllegalArgumentException("memory fault hook types must be MEM_*_UNMAPPED/MEM_*_PROT bits: " + types);
        }
        return addHook(types, HookDispatcher.Kind.MEMORY_FAULT, hook, 1, 0, -1);
    }

    /**
     * Calls {@code hook} on successful accesses in {@code [begin, end]}.
     *
     * @param types a non-empty subset of {@code MEM_READ | MEM_WRITE | MEM_FETCH | MEM_READ_AFTER}
     */
    public Hook hookMemoryAccess(int types, long begin, long end, MemoryAccessHook hook) {
        int valid = UcHookType.MEM_READ | UcHookType.MEM_WRITE | UcHookType.MEM_FETCH | UcHookType.MEM_READ_AFTER;
        if (types == 0 || (types & ~valid) != 0) {
            throw new IllegalArgumentException("memory access hook types must be MEM_READ/WRITE/FETCH bits: " + types);
        }
        return addHook(types, HookDispatcher.Kind.MEMORY_ACCESS, hook, begin, end, -1);
    }

    /** Calls {@code hook} on guest writes to {@code [begin, end]}. */
    public Hook hookMemoryWrite(long begin, long end, MemoryAccessHook hook) {
        return hookMemoryAccess(UcHookType.MEM_WRITE, begin, end, hook);
    }

    /** Removes a hook of this engine (also allowed from inside a hook); deleting the same hook twice is an error. */
    public void hookDelete(Hook hook) {
        ensureOpen();
        if (hook.owner != this) {
            throw new IllegalArgumentException(hook + " belongs to another engine");
        }
        if (hook.deleted) {
            // Unicorn 2.0.1 would queue a hook deleted during emulation twice for freeing.
            throw new IllegalStateException(hook + " was already deleted");
        }
        hook.deleted = true;
        call("uc_hook_del", () -> (int) UcNative.UC_HOOK_DEL.invokeExact(uc, hook.nativeHandle));
        hooks.unregister(hook.slot);
    }

    private Hook addHook(int type, HookDispatcher.Kind kind, Object hook, long begin, long end, int insn) {
        ensureOpen();
        if (hook == null) {
            throw new NullPointerException("hook");
        }
        MemorySegment stub = hooks.stub(kind);
        int slot = hooks.register(hook);
        MemorySegment userData = MemorySegment.ofAddress(slot);
        MemorySegment handleOut = scratch.asSlice(0, JAVA_LONG);
        try {
            if (insn < 0) {
                call("uc_hook_add", () -> (int) UcNative.UC_HOOK_ADD.invokeExact(
                        uc, handleOut, type, stub, userData, begin, end));
            } else {
                call("uc_hook_add", () -> (int) UcNative.UC_HOOK_ADD_INSN.invokeExact(
                        uc, handleOut, type, stub, userData, begin, end, insn));
            }
        } catch (RuntimeException e) {
            hooks.unregister(slot);
            throw e;
        }
        return new Hook(this, handleOut.get(JAVA_LONG, 0), slot);
    }

    // ---------------------------------------------------------------- CPU context

    /**
     * Saves the whole CPU state (every register, system and vector registers included; no memory) into a new
     * context owned by this engine ({@code uc_context_alloc} + {@code uc_context_save}). Freed by
     * {@link CpuContext#close()} or when the engine closes.
     */
    public CpuContext saveContext() {
        ensureOpen();
        MemorySegment out = scratch.asSlice(0, ADDRESS);
        call("uc_context_alloc", () -> (int) UcNative.UC_CONTEXT_ALLOC.invokeExact(uc, out));
        CpuContext context = new CpuContext(this, out.get(ADDRESS, 0));
        contexts.add(context);
        call("uc_context_save", () -> (int) UcNative.UC_CONTEXT_SAVE.invokeExact(uc, context.pointer()));
        return context;
    }

    /**
     * Whether the CPU is now in exactly the state {@code context} saved: the saved bytes compared with a fresh save
     * ({@code uc_context_size} bytes). Internal bookkeeping the save includes may differ for equal registers, so
     * false does not prove a difference; true proves equality.
     */
    public boolean isInContext(CpuContext context) {
        ensureOpen();
        if (context.owner() != this || context.isFreed()) {
            throw new IllegalArgumentException("context not saved by this engine or already freed");
        }
        long size;
        try {
            size = (long) UcNative.UC_CONTEXT_SIZE.invokeExact(uc);
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        }
        try (CpuContext current = saveContext()) {
            return MemorySegment.mismatch(context.pointer().reinterpret(size), 0, size,
                    current.pointer().reinterpret(size), 0, size) < 0;
        }
    }

    /** Puts the CPU back into the state {@code context} saved. */
    public void restoreContext(CpuContext context) {
        ensureOpen();
        if (context.owner() != this || context.isFreed()) {
            throw new IllegalArgumentException("context not saved by this engine or already freed");
        }
        call("uc_context_restore", () -> (int) UcNative.UC_CONTEXT_RESTORE.invokeExact(uc, context.pointer()));
    }

    /** Frees a context's native memory (from {@link CpuContext#close()}). */
    void free(CpuContext context) {
        contexts.remove(context);
        if (!closed) {
            MemorySegment p = context.pointer();
            call("uc_context_free", () -> (int) UcNative.UC_CONTEXT_FREE.invokeExact(p));
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Closes the engine and frees its native memory. Idempotent; not allowed from inside a hook. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (running) {
            throw new IllegalStateException("close() called from inside a hook");
        }
        for (CpuContext c : List.copyOf(contexts)) {
            c.close();
        }
        closed = true;
        int err;
        try {
            err = (int) UcNative.UC_CLOSE.invokeExact(uc);
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        } finally {
            arena.close();
        }
        UnicornException.check("uc_close", err);
    }

    /** Whether the engine's own native memory (buffers, upcall stubs) is still allocated; false once closed. */
    boolean ownsNativeMemory() {
        return arena.scope().isAlive();
    }

    /** True once {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Unicorn engine is closed");
        }
    }

    private void requireX86(String what) {
        if (arch != Arch.X86_64) {
            throw new UnsupportedOperationException(what + " exist only on x86_64");
        }
    }

    private static void requirePageAligned(long address, long size) {
        if ((address & PAGE_ALIGNED) != 0 || (size & PAGE_ALIGNED) != 0 || size <= 0) {
            throw new IllegalArgumentException(String.format(
                    "address 0x%x and size 0x%x must be 4 KiB aligned and size positive", address, size));
        }
    }

    /** A downcall returning a {@code uc_err}. */
    @FunctionalInterface
    private interface NativeCall {
        int invoke() throws Throwable;
    }

    private static void call(String function, NativeCall nativeCall) {
        int err;
        try {
            err = nativeCall.invoke();
        } catch (Throwable t) {
            throw UcNative.rethrow(t);
        }
        UnicornException.check(function, err);
    }
}
