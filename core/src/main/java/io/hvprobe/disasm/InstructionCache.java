package io.hvprobe.disasm;

import java.util.HashMap;
import java.util.Map;

/**
 * Decoded instructions by address. An entry answers a lookup only if the bytes at the address are still the
 * bytes it was decoded from, so stale entries are never returned even without invalidation; invalidation
 * frees them early. When full, the whole cache is dropped (simple, bounded, and re-filled by the hot code).
 * Not thread-safe: the owning disassembler serialises access.
 */
final class InstructionCache {
    private final int capacity;
    private final int maxInstructionLength;
    private final Map<Long, Instruction> entries = new HashMap<>();
    private long hits;
    private long misses;
    private long invalidated;
    private long evicted;

    InstructionCache(int capacity, int maxInstructionLength) {
        if (capacity < 0) {
            throw new IllegalArgumentException("cache capacity must be >= 0: " + capacity);
        }
        this.capacity = capacity;
        this.maxInstructionLength = maxInstructionLength;
    }

    /** The cached instruction at {@code address} if {@code bytes} start with its bytes; counts a hit or miss. */
    Instruction lookup(long address, byte[] bytes) {
        Instruction cached = entries.get(address);
        if (cached != null && cached.matches(bytes, 0)) {
            hits++;
            return cached;
        }
        misses++;
        return null;
    }

    void put(Instruction instruction) {
        if (capacity == 0) {
            return;
        }
        if (entries.size() >= capacity && !entries.containsKey(instruction.address())) {
            evicted += entries.size();
            entries.clear();
        }
        entries.put(instruction.address(), instruction);
    }

    /** Drops entries overlapping {@code [start, start + length)}. */
    void invalidate(long start, long length) {
        if (length <= 0 || entries.isEmpty()) {
            return;
        }
        long end = start + length;
        // An instruction overlaps the range if it starts in it or up to maxLength-1 bytes before it.
        long first = start - (maxInstructionLength - 1);
        if (length <= entries.size()) {
            for (long a = first; a != end; a++) {
                Instruction i = entries.get(a);
                if (i != null && Long.compareUnsigned(i.end(), start) > 0) {
                    entries.remove(a);
                    invalidated++;
                }
            }
        } else {
            int before = entries.size();
            entries.values().removeIf(i -> Long.compareUnsigned(i.address(), end) < 0
                    && Long.compareUnsigned(i.end(), start) > 0);
            invalidated += before - entries.size();
        }
    }

    void clear() {
        invalidated += entries.size();
        entries.clear();
    }

    CacheStatistics statistics() {
        return new CacheStatistics(hits, misses, invalidated, evicted, entries.size(), capacity);
    }
}
