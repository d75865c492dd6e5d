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
    /**
     * The entries in fixed blocks of {@link #BLOCK} instructions (address, then the registers): a full path is a
     * verification's largest allocation, and one array grown by copying made every long path allocate it about
     * twice, each copy a humongous object the JVM placed in freshly touched heap pages (a block of 1,024 stays under
     * half of G1's smallest 1 MiB region on both architectures).
     */
    private long[][] blocks = new long[0][];
    private static final int BLOCK_SHIFT = 10;
    private static final int BLOCK = 1 << BLOCK_SHIFT;
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
        return blocks[i >>> BLOCK_SHIFT][(i & (BLOCK - 1)) * stride];
    }

    long register(int i, GuestRegister r) {
        if (i >= length) {
            return atEnd.get(r);
        }
        return blocks[i >>> BLOCK_SHIFT][(i & (BLOCK - 1)) * stride + 1 + r.index()];
    }

    RegisterSnapshot registers(int i) {
        if (i >= length) {
            return atEnd;
        }
        int at = (i & (BLOCK - 1)) * stride;
        return RegisterSnapshot.of(arch, Arrays.copyOfRange(blocks[i >>> BLOCK_SHIFT], at + 1, at + stride));
    }

    int append(long address, long[] registers) {
        int block = length >>> BLOCK_SHIFT;
        if (block == blocks.length) {
            blocks = Arrays.copyOf(blocks, block + 1);
            // The last block only as large as the capacity needs.
            blocks[block] = new long[stride * Math.min(BLOCK, capacity - length)];
        }
        int at = (length & (BLOCK - 1)) * stride;
        blocks[block][at] = address;
        System.arraycopy(registers, 0, blocks[block], at + 1, stride - 1);
        return length++;
    }

    void overwriteRegisters(int i, long[] registers) {
        System.arraycopy(registers, 0, blocks[i >>> BLOCK_SHIFT], (i & (BLOCK - 1)) * stride + 1, stride - 1);
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
