package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.run.HypercallRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The instructions one call executed, each with the registers before it, and which of them were traps.
 * Entry {@code i + 1}'s registers are the state after entry {@code i}; after the last entry comes the
 * state at return.
 *
 * <p>Registers are kept as changes: per register the steps at which its value differed from the step before, with
 * the new value (an instruction changes one to three registers, and a full copy of 18 / 34 registers per step made
 * a 250,000-instruction path 36 / 70 MB). The program counter at a step is the step's address unless recorded
 * otherwise.
 */
final class ExecutionPath {

    /** A trap on the path. */
    record TrapMark(int index, HypercallRecord record) {
    }

    private final Arch arch;
    private final int pc;
    /**
     * The addresses in fixed blocks of {@link #BLOCK}: a full path is a verification's largest allocation, and one
     * array grown by copying made every long path allocate it about twice, each copy a humongous object.
     */
    private long[][] blocks = new long[0][];
    private static final int BLOCK_SHIFT = 12;
    private static final int BLOCK = 1 << BLOCK_SHIFT;
    private int length;
    /** Per register (by index): where it changed. */
    private final History[] histories;
    /** The registers at the last step (what the next step's values are compared with). */
    private final long[] current;
    /** Steps whose program counter was not the step's address (none when Unicorn reports it as the hook does). */
    private final java.util.Map<Integer, Long> pcElsewhere = new java.util.HashMap<>();
    private final List<TrapMark> traps = new ArrayList<>();
    private final java.util.BitSet trapIndexes = new java.util.BitSet();
    private boolean truncated;
    private long beyond;
    /** Data reads as triples: path index, address, size. */
    private long[] reads = new long[3 * 256];
    private int readCount;
    /** Data writes by guest instructions, as triples like {@link #reads}. */
    private long[] writes = new long[3 * 256];
    private int writeCount;
    private RegisterSnapshot atEnd;

    private final int capacity;

    /** A path of at most {@code capacity} instructions (the recorder stops there). */
    ExecutionPath(Arch arch, int capacity) {
        this.arch = arch;
        this.pc = arch.programCounter().index();
        int n = arch.registers().size();
        this.histories = new History[n];
        for (int r = 0; r < n; r++) {
            histories[r] = new History();
        }
        this.current = new long[n];
        this.capacity = Math.max(1, capacity);
    }

    Arch arch() {
        return arch;
    }

    int length() {
        return length;
    }

    boolean truncated() {
        return truncated;
    }

    /** Records one executed instruction past the capacity: not kept, but counted. */
    void markTruncated() {
        truncated = true;
        beyond++;
    }

    /** Instructions executed: those kept plus those past the capacity. */
    long executed() {
        return length + beyond;
    }

    List<TrapMark> traps() {
        return traps;
    }

    long address(int i) {
        return blocks[i >>> BLOCK_SHIFT][i & (BLOCK - 1)];
    }

    long register(int i, GuestRegister r) {
        if (i >= length) {
            return atEnd.get(r);
        }
        int index = r.index();
        if (index == pc) {
            Long elsewhere = pcElsewhere.isEmpty() ? null : pcElsewhere.get(i);
            return elsewhere != null ? elsewhere : address(i);
        }
        return histories[index].at(i);
    }

    /** The lowest value (signed) {@code r} held before any recorded instruction; {@link Long#MAX_VALUE} on an empty path. */
    long minimum(GuestRegister r) {
        long min = Long.MAX_VALUE;
        if (r.index() == pc) {
            for (int i = 0; i < length; i++) {
                min = Math.min(min, register(i, r));
            }
            return min;
        }
        // Every value a register held on the path is one of its changes (each at a recorded step).
        History h = histories[r.index()];
        for (int k = 0; k < h.count; k++) {
            min = Math.min(min, h.values[k]);
        }
        return min;
    }

    RegisterSnapshot registers(int i) {
        if (i >= length) {
            return atEnd;
        }
        long[] values = new long[current.length];
        for (GuestRegister r : arch.registers()) {
            values[r.index()] = register(i, r);
        }
        return RegisterSnapshot.of(arch, values);
    }

    /** Appends an instruction with every register before it ({@link Arch#registers()} order). */
    int append(long address, long[] registers) {
        int i = appendAddress(address);
        if (i == 0) {
            for (int r = 0; r < current.length; r++) {
                set(i, r, registers[r]);
            }
            return i;
        }
        for (int r = 0; r < current.length; r++) {
            long v = registers[r];
            if (v != current[r] && r != pc) {
                histories[r].set(i, v);
                current[r] = v;
            }
        }
        set(i, pc, registers[pc]);
        return i;
    }

    /**
     * Appends an instruction whose registers are the previous step's but for those of {@code changed} (the first
     * {@code count} indexes), whose values {@code registers} holds; the program counter is {@code address}.
     */
    int append(long address, long[] registers, int[] changed, int count) {
        if (length == 0) {
            return append(address, registers);
        }
        int i = appendAddress(address);
        for (int k = 0; k < count; k++) {
            set(i, changed[k], registers[changed[k]]);
        }
        current[pc] = address;
        return i;
    }

    private int appendAddress(long address) {
        int block = length >>> BLOCK_SHIFT;
        if (block == blocks.length) {
            blocks = Arrays.copyOf(blocks, block + 1);
            // The last block only as large as the capacity needs.
            blocks[block] = new long[Math.min(BLOCK, capacity - length)];
        }
        blocks[block][length & (BLOCK - 1)] = address;
        return length++;
    }

    private void set(int i, int r, long value) {
        if (r == pc) {
            if (value != address(i)) {
                pcElsewhere.put(i, value);
            } else if (!pcElsewhere.isEmpty()) {
                pcElsewhere.remove(i);
            }
        } else if (i == 0 || value != current[r]) {
            histories[r].set(i, value);
        }
        current[r] = value;
    }

    /** Replaces the registers of the last instruction. */
    void overwriteRegisters(int i, long[] registers) {
        if (i != length - 1) {
            throw new IllegalArgumentException("only the last instruction's registers are replaced: " + i);
        }
        for (int r = 0; r < current.length; r++) {
            if (r != pc && registers[r] != current[r]) {
                histories[r].set(i, registers[r]);
                current[r] = registers[r];
            }
        }
        set(i, pc, registers[pc]);
    }

    /** The values of one register, as (step, value) where it changed, in step order. */
    private static final class History {
        private int[] steps = new int[16];
        private long[] values = new long[16];
        private int count;
        /** Where the last lookup ended: the analyses walk the path forward. */
        private int hint;

        void set(int step, long value) {
            if (count > 0 && steps[count - 1] == step) {
                values[count - 1] = value;
                return;
            }
            if (count == steps.length) {
                steps = Arrays.copyOf(steps, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            steps[count] = step;
            values[count] = value;
            count++;
        }

        /** The value at {@code step} (the last change at or before it; every register has one at step 0). */
        long at(int step) {
            int k = Math.min(hint, count - 1);
            if (steps[k] <= step) {
                for (int moves = 0; k + 1 < count && steps[k + 1] <= step; moves++) {
                    if (moves == 8) {
                        k = search(k + 1, count - 1, step);
                        break;
                    }
                    k++;
                }
            } else if (k > 0 && steps[k - 1] <= step) {
                k--; // a pass that compares each step with the next one
            } else {
                k = search(0, k - 1, step);
            }
            hint = k;
            return values[k];
        }

        /** The last k in [low, high] with steps[k] <= step; steps[low] <= step or low == 0. */
        private int search(int low, int high, int step) {
            int found = low;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                if (steps[mid] <= step) {
                    found = mid;
                    low = mid + 1;
                } else {
                    high = mid - 1;
                }
            }
            return found;
        }
    }

    void markTrap(int index, HypercallRecord record) {
        traps.add(new TrapMark(index, record));
        trapIndexes.set(index);
    }

    boolean isTrapAt(int index) {
        return trapIndexes.get(index);
    }

    /** The trap at path index {@code index}, if that instruction was one. */
    java.util.Optional<TrapMark> trapAt(int index) {
        if (!trapIndexes.get(index)) {
            return java.util.Optional.empty();
        }
        // Marks are added in path order: a binary search keeps a pass over a path of many traps linear.
        int low = 0;
        int high = traps.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int at = traps.get(mid).index();
            if (at < index) {
                low = mid + 1;
            } else if (at > index) {
                high = mid - 1;
            } else {
                return java.util.Optional.of(traps.get(mid));
            }
        }
        return java.util.Optional.empty();
    }

    boolean isTrap(int index) {
        return !traps.isEmpty() && traps.getLast().index() == index;
    }

    void addRead(long address, int size) {
        if (length == 0) {
            return;
        }
        if ((readCount + 1) * 3 > reads.length) {
            reads = Arrays.copyOf(reads, reads.length * 2);
        }
        reads[readCount * 3] = length - 1;
        reads[readCount * 3 + 1] = address;
        reads[readCount * 3 + 2] = size;
        readCount++;
    }

    void addWrite(long address, int size) {
        if (length == 0) {
            return;
        }
        if ((writeCount + 1) * 3 > writes.length) {
            writes = Arrays.copyOf(writes, writes.length * 2);
        }
        writes[writeCount * 3] = length - 1;
        writes[writeCount * 3 + 1] = address;
        writes[writeCount * 3 + 2] = size;
        writeCount++;
    }

    int writeCount() {
        return writeCount;
    }

    /** Path index of the instruction that made data write {@code k}. */
    int writeIndex(int k) {
        return (int) writes[k * 3];
    }

    long writeAddress(int k) {
        return writes[k * 3 + 1];
    }

    int writeSize(int k) {
        return (int) writes[k * 3 + 2];
    }

    int readCount() {
        return readCount;
    }

    /** Path index of the instruction that made data read {@code k}. */
    int readIndex(int k) {
        return (int) reads[k * 3];
    }

    long readAddress(int k) {
        return reads[k * 3 + 1];
    }

    int readSize(int k) {
        return (int) reads[k * 3 + 2];
    }

    void finish(RegisterSnapshot end) {
        this.atEnd = end;
    }
}
