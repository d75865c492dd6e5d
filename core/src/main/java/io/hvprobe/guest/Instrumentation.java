package io.hvprobe.guest;

import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;

import java.util.Optional;

/**
 * What the trap interceptor, the verifier and the tracer may do to a running {@link GuestMachine}: hooks on
 * code, memory and x86 port/CPUID instructions, batched register reads and writes, memory reads and writes.
 * It is the narrow face of the emulator: those packages never see the binding underneath.
 *
 * <pre>{@code
 * Instrumentation in = machine.instrumentation();
 * long[] regs = new long[machine.arch().registers().size()];
 * Instrumentation.Hook h = in.hookCode(start, end, (address, size) -> in.readRegisters(regs));
 * machine.call(GuestCall.of("hv_detect"));
 * in.hookDelete(h);
 * }</pre>
 *
 * <p>Listeners run on the emulating thread, inside the emulator; from there the machine may be stopped
 * ({@link GuestMachine#stop}) and registers and memory read or written, nothing else.
 */
public interface Instrumentation {
    /** A registered hook; pass it to {@link #hookDelete}. Valid only for the machine that made it. */
    sealed interface Hook permits EngineInstrumentation.EngineHook {
    }

    /** Called before an instruction in the hooked range executes. */
    @FunctionalInterface
    interface CodeListener {
        /**
         * Called before the instruction at {@code address} executes; writing the program counter skips it.
         *
         * @param address the instruction's address
         * @param size    its length in bytes; meaningless when the emulator cannot decode it
         */
        void onCode(long address, int size);
    }

    /** Called on a successful guest memory access in the hooked range. */
    @FunctionalInterface
    interface MemoryListener {
        /**
         * Called after a successful access.
         *
         * @param address the guest address
         * @param size    the access size in bytes
         * @param value   the value written, for writes (undefined for reads)
         */
        void onAccess(long address, int size, long value);
    }

    /** Emulates an x86 {@code IN}: returns the value the instruction reads. */
    @FunctionalInterface
    interface PortInListener {
        /**
         * Emulates one {@code IN}.
         *
         * @param port the I/O port, 0..0xFFFF
         * @param size the access size in bytes: 1, 2 or 4
         * @return the value read; only the low {@code size} bytes count
         */
        int onIn(int port, int size);
    }

    /** Observes an x86 {@code OUT}. */
    @FunctionalInterface
    interface PortOutListener {
        /**
         * Observes one {@code OUT}.
         *
         * @param port  the I/O port, 0..0xFFFF
         * @param size  the access size in bytes: 1, 2 or 4
         * @param value the value written (the low {@code size} bytes)
         */
        void onOut(int port, int size, int value);
    }

    /** Intercepts x86 {@code CPUID}: true if it set EAX..EDX itself and the real CPUID must be skipped. */
    @FunctionalInterface
    interface CpuidListener {
        /**
         * Called before a {@code CPUID} executes; reads EAX/ECX and may set EAX..EDX through the instrumentation.
         *
         * @return true if it set EAX..EDX itself and the real CPUID must be skipped
         */
        boolean onCpuid();
    }

    /**
     * Calls {@code listener} before each instruction in {@code [begin, end]} ({@code begin > end}: everywhere).
     *
     * @param begin    the first address
     * @param end      the last address, inclusive
     * @param listener called on the emulation thread
     * @return the hook, for {@link #hookDelete}
     */
    Hook hookCode(long begin, long end, CodeListener listener);

    /**
     * Calls {@code listener} before the instruction at {@code address} executes, before every code listener of
     * {@link #hookCode} there, for the machine's life (a trap or BUG site: the listener may skip the instruction by
     * writing the program counter). Costs nothing until code holding {@code address} first runs.
     *
     * @param address  the instruction's address
     * @param listener called on the emulation thread
     */
    void hookSite(long address, CodeListener listener);

    /**
     * Calls {@code listener} on guest reads of {@code [begin, end]} ({@code begin > end}: everywhere).
     *
     * @param begin    the first address
     * @param end      the last address, inclusive
     * @param listener called on the emulation thread
     * @return the hook, for {@link #hookDelete}
     */
    Hook hookMemoryRead(long begin, long end, MemoryListener listener);

    /**
     * Calls {@code listener} on guest writes to {@code [begin, end]} ({@code begin > end}: everywhere).
     *
     * @param begin    the first address
     * @param end      the last address, inclusive
     * @param listener called on the emulation thread
     * @return the hook, for {@link #hookDelete}
     */
    Hook hookMemoryWrite(long begin, long end, MemoryListener listener);

    /**
     * Emulates every x86 {@code IN} with {@code listener} (x86_64 machines only).
     *
     * @param listener called on the emulation thread
     * @return the hook, for {@link #hookDelete}
     */
    Hook hookIn(PortInListener listener);

    /**
     * Calls {@code listener} on every x86 {@code OUT} (x86_64 machines only).
     *
     * @param listener called on the emulation thread
     * @return the hook, for {@link #hookDelete}
     */
    Hook hookOut(PortOutListener listener);

    /**
     * Calls {@code listener} on every x86 {@code CPUID} (x86_64 machines only).
     *
     * @param listener called on the emulation thread
     * @return the hook, for {@link #hookDelete}
     */
    Hook hookCpuid(CpuidListener listener);

    /**
     * Removes a hook (also allowed from inside a listener).
     *
     * @param hook a hook of this machine
     */
    void hookDelete(Hook hook);

    /**
     * Reads all of the architecture's registers ({@link io.hvprobe.arch.Arch#registers()} order) into {@code out}
     * in one batch, allocating nothing: the hot path of tracing and path recording.
     *
     * @param out an array of at least as many elements as the architecture has registers
     */
    void readRegisters(long[] out);

    /**
     * Reads {@code count} registers in one batch: the register whose {@link GuestRegister#index()} is
     * {@code indexes[k]} into {@code out[k]}, allocating nothing (the path recorder's read of what the last instruction
     * may have changed).
     *
     * @param indexes register indexes in {@link io.hvprobe.arch.Arch#registers()} order
     * @param out     at least {@code count} elements
     * @param count   how many of {@code indexes} to read, 0 or more
     */
    void readRegisters(int[] indexes, long[] out, int count);

    /** {@return the registers as a snapshot (general registers, program counter, flags)} */
    RegisterSnapshot readSnapshot();

    /**
     * Writes, in one batch, only the registers whose value differs between {@code from} and {@code to}.
     *
     * @param from the values the registers have now
     * @param to   the values they are to have
     */
    void writeChanges(RegisterSnapshot from, RegisterSnapshot to);

    /**
     * Writes {@code count} registers in one batch: {@code values[k]} to the register whose {@link
     * GuestRegister#index()} is {@code indexes[k]} — the trap path's write-back of just the registers an answer
     * changed, without comparing all of them as {@link #writeChanges(RegisterSnapshot, RegisterSnapshot)} does.
     * Counts as one host write (like {@code writeChanges}) even when {@code count} is 0.
     *
     * @param indexes register indexes in {@link io.hvprobe.arch.Arch#registers()} order, each at most once
     * @param values  their new values
     * @param count   how many of {@code indexes}/{@code values} to write, 0 or more
     */
    void writeRegisters(int[] indexes, long[] values, int count);

    /**
     * Writes one register; writing the program counter inside a code listener skips the instruction.
     *
     * @param register the register
     * @param value    its new 64-bit value
     */
    void regWrite(GuestRegister register, long value);

    /** {@return the program counter} */
    long pc();

    /**
     * {@code length} bytes at {@code address}, or empty when any of them is not mapped.
     *
     * @param address the first guest address
     * @param length  how many bytes, 0 or more
     * @return a new array, or empty
     */
    Optional<byte[]> tryRead(long address, int length);

    /**
     * Writes guest memory (the range must be mapped).
     *
     * @param address the first guest address
     * @param data    the bytes to write
     */
    void memWrite(long address, byte[] data);

    /**
     * Whether all of {@code [address, address + length)} is mapped writable (a zero length always is).
     *
     * @param address the first guest address
     * @param length  how many bytes, 0 or more
     * @return whether the range is mapped and writable
     */
    boolean isWritable(long address, long length);
}
