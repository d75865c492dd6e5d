package io.hvprobe.guest;

import java.time.Duration;

/**
 * How a {@link GuestMachine} runs calls.
 *
 * @param instructionBudget most instructions one call may execute (0 = unlimited), counted over the whole call
 *                          (also across the restarts a handled invalid instruction causes): what ends a long or
 *                          looping call, deterministically
 * @param timeout           wall-clock guard for the whole call, a last resort only: when it elapses the call ends
 *                          with a {@link Fault.Kind#TIMEOUT} fault, which makes the run inconclusive (no verdict),
 *                          never a finding about the guest
 * @param stackSize         bytes of stack (a guard page below it is left unmapped)
 * @param heapSize          bytes of scratch heap for pointer arguments
 * @param lenient           map zero pages on demand for data accesses to unmapped memory (recorded)
 * @param maxLenientPages   most pages lenient mode maps in one call (pages stay mapped until the machine is
 *                          restored to a snapshot taken before them) before an access to unmapped memory is a
 *                          fault again; 0 to {@value #MAX_LENIENT_PAGES}
 * @param stackCanary       the stack-protector canary at {@code %gs:40} (x86_64) / {@code __stack_chk_guard}
 */
public record MachineOptions(long instructionBudget, Duration timeout, long stackSize, long heapSize,
                             boolean lenient, int maxLenientPages, long stackCanary) {

    /** Upper bound of {@code maxLenientPages}: 256 MiB of on-demand pages. */
    public static final int MAX_LENIENT_PAGES = 65_536;

    /**
     * Checks every size and limit.
     *
     * @param instructionBudget most instructions one call may execute, 0 or more (0 = unlimited)
     * @param timeout           wall-clock guard, positive
     * @param stackSize         bytes of stack: a positive multiple of 4 KiB up to {@link MemoryLayout#MAX_STACK}
     * @param heapSize          bytes of heap: a positive multiple of 4 KiB up to {@link MemoryLayout#MAX_HEAP}
     * @param lenient           map zero pages on demand for data accesses to unmapped memory
     * @param maxLenientPages   0 to {@link #MAX_LENIENT_PAGES}
     * @param stackCanary       the stack-protector canary
     * @throws IllegalArgumentException for a size, limit or timeout out of range
     */
    public MachineOptions {
        if (stackSize <= 0 || (stackSize & 0xfff) != 0 || stackSize > MemoryLayout.MAX_STACK) {
            throw new IllegalArgumentException("stack size must be a positive multiple of 4 KiB up to "
                    + MemoryLayout.MAX_STACK + " bytes");
        }
        if (heapSize <= 0 || (heapSize & 0xfff) != 0 || heapSize > MemoryLayout.MAX_HEAP) {
            throw new IllegalArgumentException("heap size must be a positive multiple of 4 KiB up to "
                    + MemoryLayout.MAX_HEAP + " bytes");
        }
        if (maxLenientPages < 0 || maxLenientPages > MAX_LENIENT_PAGES) {
            throw new IllegalArgumentException("lenient page limit must be 0 to " + MAX_LENIENT_PAGES + ", got "
                    + maxLenientPages);
        }
        if (instructionBudget < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("instruction budget must be >= 0 and timeout positive");
        }
    }

    /**
     * Default of {@link #timeout()}: far beyond what the default instruction budget takes even on a loaded machine
     * or with the JVM paused, so that in practice the budget, not the clock, ends every call.
     */
    public static final Duration DEFAULT_WALL_CLOCK_GUARD = Duration.ofMinutes(10);

    /**
     * 10 M instructions, a 10-minute wall-clock guard, 1 MiB stack, 1 MiB heap, strict memory, canary
     * 0x2f8a5c3e11d7b600.
     *
     * @return the defaults
     */
    public static MachineOptions defaults() {
        return new MachineOptions(10_000_000, DEFAULT_WALL_CLOCK_GUARD, 1 << 20, 1 << 20, false, 256,
                0x2f8a_5c3e_11d7_b600L);
    }

    /**
     * With another instruction budget.
     *
     * @param budget most instructions one call may execute, 0 or more (0 = unlimited)
     * @return a copy with that budget
     * @throws IllegalArgumentException for a negative budget
     */
    public MachineOptions withInstructionBudget(long budget) {
        return new MachineOptions(budget, timeout, stackSize, heapSize, lenient, maxLenientPages, stackCanary);
    }

    /**
     * With another wall-clock timeout.
     *
     * @param t a positive duration
     * @return a copy with that guard
     * @throws IllegalArgumentException for a duration that is not positive
     */
    public MachineOptions withTimeout(Duration t) {
        return new MachineOptions(instructionBudget, t, stackSize, heapSize, lenient, maxLenientPages, stackCanary);
    }

    /**
     * With another limit on the pages lenient mode maps.
     *
     * @param pages 0 to {@link #MAX_LENIENT_PAGES}
     * @return a copy with that limit
     * @throws IllegalArgumentException for a limit out of range
     */
    public MachineOptions withMaxLenientPages(int pages) {
        return new MachineOptions(instructionBudget, timeout, stackSize, heapSize, lenient, pages, stackCanary);
    }

    /**
     * With lenient on-demand zero pages switched on or off.
     *
     * @param on whether data accesses to unmapped memory map zero pages
     * @return a copy with that mode
     */
    public MachineOptions withLenient(boolean on) {
        return new MachineOptions(instructionBudget, timeout, stackSize, heapSize, on, maxLenientPages, stackCanary);
    }
}
