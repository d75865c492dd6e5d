package io.hvprobe.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * Routes Unicorn's native callbacks to Java hooks of one engine.
 * <p>
 * There is one upcall stub per callback signature per engine, created on first use in the engine's arena and
 * kept until the engine closes. The hook's {@code user_data} pointer carries its slot index in {@link #slots}.
 * A Java exception must never unwind through Unicorn's frames: each upcall catches everything, records the
 * first failure, stops emulation and returns a neutral value; {@link Unicorn#emuStart} rethrows it.
 */
@SuppressWarnings("restricted") // this package is the FFM binding: native access is its purpose
final class HookDispatcher {
    /** The native callback signatures of {@code unicorn.h}, one upcall stub each. */
    enum Kind {
        // void uc_cb_hookcode_t(uc_engine *uc, uint64_t address, uint32_t size, void *user_data)
        // (engine and user_data taken as 64-bit integers, as the LP64 ABI passes them: the per-instruction
        // upcall then materialises no MemorySegment)
        CODE("code", FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG)),
        // void uc_cb_hookintr_t(uc_engine *uc, uint32_t intno, void *user_data)
        INTERRUPT("interrupt", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS)),
        // bool uc_cb_hookinsn_invalid_t(uc_engine *uc, void *user_data)
        INVALID_INSN("invalidInstruction", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS)),
        // uint32_t uc_cb_insn_in_t(uc_engine *uc, uint32_t port, int size, void *user_data)
        IN("in", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS)),
        // void uc_cb_insn_out_t(uc_engine *uc, uint32_t port, int size, uint32_t value, void *user_data)
        OUT("out", FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS)),
        // int uc_cb_insn_cpuid_t(uc_engine *uc, void *user_data)
        CPUID("cpuid", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
        // void uc_cb_insn_syscall_t(uc_engine *uc, void *user_data)
        SYSCALL("syscall", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS)),
        // bool uc_cb_eventmem_t(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
        //                       void *user_data)
        MEMORY_FAULT("memoryFault",
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS)),
        // void uc_cb_hookmem_t(uc_engine *uc, uc_mem_type type, uint64_t address, int size, int64_t value,
        //                      void *user_data)
        MEMORY_ACCESS("memoryAccess",
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS));

        final FunctionDescriptor descriptor;
        final MethodHandle target;

        Kind(String method, FunctionDescriptor descriptor) {
            this.descriptor = descriptor;
            try {
                this.target = MethodHandles.lookup().findVirtual(HookDispatcher.class, method,
                        descriptor.toMethodType());
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private final Unicorn engine;
    private final MemorySegment uc;
    private final Arena arena;
    private final MemorySegment[] stubs = new MemorySegment[Kind.values().length];
    private Object[] slots = new Object[8];
    /** The first throwable of the current run, its hook kind, and a failure of the emu_stop that followed. */
    private Throwable failureCause;
    private String failureKind;
    private Throwable stopFailure;
    private boolean invalidInstructionHandled;

    HookDispatcher(Unicorn engine, MemorySegment uc, Arena arena) {
        this.engine = engine;
        this.uc = uc;
        this.arena = arena;
    }

    /** The upcall stub for {@code kind}, created once per engine. */
    MemorySegment stub(Kind kind) {
        MemorySegment stub = stubs[kind.ordinal()];
        if (stub == null) {
            stub = Linker.nativeLinker().upcallStub(kind.target.bindTo(this), kind.descriptor, arena);
            stubs[kind.ordinal()] = stub;
        }
        return stub;
    }

    /** Stores {@code hook} in a free slot and returns the slot index (the native user_data). */
    int register(Object hook) {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                slots[i] = hook;
                return i;
            }
        }
        int slot = slots.length;
        slots = Arrays.copyOf(slots, slots.length * 2);
        slots[slot] = hook;
        return slot;
    }

    void unregister(int slot) {
        slots[slot] = null;
    }

    /** Clears what the previous run recorded. */
    void resetRun() {
        failureCause = null;
        failureKind = null;
        stopFailure = null;
        invalidInstructionHandled = false;
    }

    /** True if an invalid-instruction hook asked to continue during this run. */
    boolean invalidInstructionHandled() {
        return invalidInstructionHandled;
    }

    /** The failure recorded during the last run, or null; clears it. */
    HookFailedException takeFailure() {
        if (failureCause == null) {
            return null;
        }
        // Built here, back in Java frames: the upcall's catch path allocates nothing that could throw again.
        HookFailedException f = new HookFailedException(failureKind, failureCause);
        if (stopFailure != null) {
            f.addSuppressed(stopFailure);
        }
        resetRun();
        return f;
    }

    private Object hook(MemorySegment userData) {
        return hook(userData.address());
    }

    private Object hook(long slot) {
        Object[] s = slots;
        return failureCause == null && slot >= 0 && slot < s.length ? s[(int) slot] : null;
    }

    /** Records the first failure and stops emulation; never throws, since it runs inside an upcall. */
    private void fail(String kind, Throwable t) {
        try {
            if (failureCause == null) {
                failureCause = t;
                failureKind = kind;
            }
            int ignored = (int) UcNative.UC_EMU_STOP.invokeExact(uc);
        } catch (Throwable stopFailed) {
            stopFailure = stopFailed;
        }
    }

    // ---- upcall targets: each catches everything ----

    private void code(long ucPtr, long address, int size, long userData) {
        try {
            if (hook(userData) instanceof CodeHook h) {
                h.onCode(engine, address, size);
            }
        } catch (Throwable t) {
            fail("code", t);
        }
    }

    private void interrupt(MemorySegment ucPtr, int intno, MemorySegment userData) {
        try {
            if (hook(userData) instanceof InterruptHook h) {
                h.onInterrupt(engine, intno);
            }
        } catch (Throwable t) {
            fail("interrupt", t);
        }
    }

    private boolean invalidInstruction(MemorySegment ucPtr, MemorySegment userData) {
        try {
            boolean handled = hook(userData) instanceof InvalidInstructionHook h && h.onInvalidInstruction(engine);
            invalidInstructionHandled |= handled;
            return handled;
        } catch (Throwable t) {
            fail("invalid-instruction", t);
            return false;
        }
    }

    private int in(MemorySegment ucPtr, int port, int size, MemorySegment userData) {
        try {
            return hook(userData) instanceof InHook h ? h.onIn(engine, port, size) : 0;
        } catch (Throwable t) {
            fail("IN", t);
            return 0;
        }
    }

    private void out(MemorySegment ucPtr, int port, int size, int value, MemorySegment userData) {
        try {
            if (hook(userData) instanceof OutHook h) {
                h.onOut(engine, port, size, value);
            }
        } catch (Throwable t) {
            fail("OUT", t);
        }
    }

    private int cpuid(MemorySegment ucPtr, MemorySegment userData) {
        try {
            return hook(userData) instanceof CpuidHook h && h.onCpuid(engine) ? 1 : 0;
        } catch (Throwable t) {
            fail("CPUID", t);
            return 1;
        }
    }

    private void syscall(MemorySegment ucPtr, MemorySegment userData) {
        try {
            if (hook(userData) instanceof SyscallHook h) {
                h.onSyscall(engine);
            }
        } catch (Throwable t) {
            fail("SYSCALL", t);
        }
    }

    private boolean memoryFault(MemorySegment ucPtr, int type, long address, int size, long value,
                                MemorySegment userData) {
        try {
            return hook(userData) instanceof MemoryFaultHook h
                    && h.onFault(engine, UcMemType.of(type), address, size, value);
        } catch (Throwable t) {
            fail("memory-fault", t);
            return false;
        }
    }

    private void memoryAccess(MemorySegment ucPtr, int type, long address, int size, long value,
                              MemorySegment userData) {
        try {
            if (hook(userData) instanceof MemoryAccessHook h) {
                h.onAccess(engine, UcMemType.of(type), address, size, value);
            }
        } catch (Throwable t) {
            fail("memory-access", t);
        }
    }
}
