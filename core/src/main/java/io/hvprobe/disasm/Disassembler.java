package io.hvprobe.disasm;

import io.hvprobe.arch.Arch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decodes guest machine code of one architecture.
 *
 * <p>Undecodable bytes never stop a sweep: on x86 each one becomes a one-byte {@code .byte} pseudo-instruction
 * (except TDCALL, {@code 66 0F 01 CC}, which Capstone 4 does not know and which is recognised here); on arm64
 * each undecodable word becomes a four-byte {@code .inst}.
 *
 * <p>{@link #decode} keeps a per-address cache keyed by address and bytes, so decoding the same code again is
 * cheap; code written at run time is dropped with {@link #invalidate}. Sweeps neither read nor fill the cache.
 *
 * <p>Thread safety: an implementation may be shared between threads (calls are serialised), but one
 * disassembler per thread scales better. Close it to release the native handle.
 */
public interface Disassembler extends AutoCloseable {

    /** Default number of cached instructions. */
    int DEFAULT_CACHE_CAPACITY = 65_536;

    /**
     * Loads and binds {@code libcapstone.so.4} (once per JVM), as the first {@link #open} does; after a failure,
     * every later call and every {@code open} throws that same failure.
     *
     * @throws DisassemblerUnavailableException when {@code libcapstone.so.4} or JNA's native part cannot be loaded
     */
    static void load() {
        CapstoneLibrary.load();
    }

    /**
     * Opens a Capstone disassembler for {@code arch} that also works out register access.
     *
     * @throws DisassemblerUnavailableException when {@code libcapstone.so.4} cannot be loaded
     */
    static Disassembler open(Arch arch) {
        return open(arch, DecodeDetail.REGISTERS);
    }

    /**
     * Opens a Capstone disassembler for {@code arch}.
     *
     * @throws DisassemblerUnavailableException when {@code libcapstone.so.4} cannot be loaded
     */
    static Disassembler open(Arch arch, DecodeDetail detail) {
        return new CapstoneDisassembler(arch, detail, DEFAULT_CACHE_CAPACITY);
    }

    /**
     * Opens a Capstone disassembler with a cache of at most {@code cacheCapacity} instructions (0 disables it).
     *
     * @throws DisassemblerUnavailableException when {@code libcapstone.so.4} cannot be loaded
     */
    static Disassembler open(Arch arch, DecodeDetail detail, int cacheCapacity) {
        return new CapstoneDisassembler(arch, detail, cacheCapacity);
    }

    /** The architecture decoded. */
    Arch arch();

    /** What is worked out per instruction. */
    DecodeDetail detail();

    /**
     * Decodes the one instruction at the start of {@code bytes}, which sit at {@code address}. Bytes beyond
     * the longest instruction are ignored. Undecodable bytes give a data pseudo-instruction.
     *
     * @throws IllegalArgumentException when {@code bytes} is empty
     */
    Instruction decode(long address, byte[] bytes);

    /**
     * Linear sweep over {@code code} loaded at {@code address}, handing each instruction to {@code sink} in
     * address order. Every byte of {@code code} is covered by exactly one instruction or pseudo-instruction.
     */
    void sweep(byte[] code, long address, Consumer<Instruction> sink);

    /** Linear sweep over {@code code} loaded at {@code address}, collected into a list. */
    default List<Instruction> disassemble(byte[] code, long address) {
        List<Instruction> out = new ArrayList<>();
        sweep(code, address, out::add);
        return out;
    }

    /** Drops cached instructions that overlap {@code [start, start + length)}, e.g. after code was written. */
    void invalidate(long start, long length);

    /** Drops every cached instruction. */
    void invalidateAll();

    /** The cache counters. */
    CacheStatistics cacheStatistics();

    /** Releases the native handle; further use throws {@link IllegalStateException}. */
    @Override
    void close();
}
