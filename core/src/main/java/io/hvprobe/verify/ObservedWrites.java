package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import io.hvprobe.guest.MemoryLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest memory writes a caller could observe during one run, as {@code address:size=value} (hex): every write
 * outside the function's own frame (below the stack pointer it was entered with, where -O0 code spills whole
 * registers and reads back only the bits it uses), the first {@value #MAX} of them.
 */
final class ObservedWrites {
    static final int MAX = 100_000;
    private static final long STACK_LOW = MemoryLayout.STACK_TOP - MemoryLayout.MAX_STACK;

    private final ExecutionPath path;
    private final Arch arch;
    private final List<String> writes = new ArrayList<>();

    /** Writes of a run whose entry stack pointer is the first recorded instruction's of {@code path}. */
    ObservedWrites(ExecutionPath path, Arch arch) {
        this(path, arch, List.of());
    }

    /** As {@link #ObservedWrites(ExecutionPath, Arch)}, for a run resumed after {@code before} were observed. */
    ObservedWrites(ExecutionPath path, Arch arch, List<String> before) {
        this.path = path;
        this.arch = arch;
        this.writes.addAll(before);
    }

    /** One write by the guest. */
    void write(long address, int size, long value) {
        // Read at each write: while the baseline is being recorded the path grows, and no write comes before the
        // first instruction is recorded.
        long entrySp = path.length() > 0 ? path.register(0, arch.stackPointer()) : 0;
        if (address >= STACK_LOW && address < entrySp) {
            return;
        }
        if (writes.size() < MAX) {
            writes.add(Long.toHexString(address) + ":" + size + "=" + Long.toHexString(value));
        }
    }

    /** The writes seen so far. */
    List<String> writes() {
        return writes;
    }
}
