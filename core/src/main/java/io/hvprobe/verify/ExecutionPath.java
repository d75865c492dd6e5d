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
 */
final class ExecutionPath {

    /** A trap on the path. */
    record TrapMark(int index, HypercallRecord record) {
    }

    private final Arch arch;
    private final int stride;
    private long[] data;
    private int length;
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
        this.stride = 1 + arch.registers().size();
        this.capacity = Math.max(1, capacity);
        this.data = new long[stride * Math.min(1024, this.capacity)];
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
        return data[i * stride];
    }

    long register(int i, GuestRegister r) {
        if (i >= length) {
            return atEnd.get(r);
        }
        return data[i * stride + 1 + r.index()];
    }

    RegisterSnapshot registers(int i) {
        if (i >= length) {
            return atEnd;
        }
        return RegisterSnapshot.of(arch, Arrays.copyOfRange(data, i * stride + 1, (i + 1) * stride));
    }

    int append(long address, long[] registers) {
        if ((length + 1) * stride > data.length) {
            // Double, but never past the capacity: a full path is the largest allocation of a verification.
            data = Arrays.copyOf(data, (int) Math.min((long) data.length * 2, (long) capacity * stride));
        }
        data[length * stride] = address;
        System.arraycopy(registers, 0, data, length * stride + 1, stride - 1);
        return length++;
    }

    void overwriteRegisters(int i, long[] registers) {
        System.arraycopy(registers, 0, data, i * stride + 1, stride - 1);
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
