package io.hvprobe.trace;

/**
 * Address → {@link InstructionInfo}, open addressing on primitive keys so that a lookup on the per-instruction
 * path allocates nothing (no boxed {@code Long}).
 */
final class InstructionTable {
    private long[] keys = new long[1024];
    private InstructionInfo[] values = new InstructionInfo[1024];
    private int size;

    int size() {
        return size;
    }

    InstructionInfo get(long address) {
        int mask = keys.length - 1;
        for (int i = slot(address, mask); ; i = (i + 1) & mask) {
            InstructionInfo v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == address) {
                return v;
            }
        }
    }

    void put(InstructionInfo info) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(info);
        size++;
    }

    private void insert(InstructionInfo info) {
        int mask = keys.length - 1;
        int i = slot(info.address(), mask);
        while (values[i] != null && keys[i] != info.address()) {
            i = (i + 1) & mask;
        }
        keys[i] = info.address();
        values[i] = info;
    }

    private void grow() {
        InstructionInfo[] old = values;
        keys = new long[old.length * 2];
        values = new InstructionInfo[old.length * 2];
        for (InstructionInfo v : old) {
            if (v != null) {
                insert(v);
            }
        }
    }

    private static int slot(long address, int mask) {
        long h = address * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }
}
