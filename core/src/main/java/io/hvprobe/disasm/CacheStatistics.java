package io.hvprobe.disasm;

/**
 * Counters of a {@link Disassembler}'s per-address cache, since it was opened.
 *
 * @param hits        {@code decode} calls answered from the cache
 * @param misses      {@code decode} calls that went to Capstone
 * @param invalidated entries dropped by {@link Disassembler#invalidate(long, long)}
 * @param evicted     entries dropped because the cache was full
 * @param size        entries held now
 * @param capacity    the most entries the cache holds
 */
public record CacheStatistics(long hits, long misses, long invalidated, long evicted, int size, int capacity) {
}
