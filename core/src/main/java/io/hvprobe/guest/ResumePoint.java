package io.hvprobe.guest;

import io.hvprobe.arch.RegisterSnapshot;
import io.hvprobe.unicorn.CpuContext;

import java.util.List;
import java.util.Map;

/**
 * The state of a call at a trap or BUG site it reached, before the site's hook ran, taken where nothing but the guest's
 * own instructions and the answers of the traps before it had run since the call started (no kernel stub, handled
 * exception, other hook write, kernel event or lenient page): a rerun of the same call from the same start state whose
 * hypervisor answers are the first run's up to that site and may differ from there on is the first run up to there,
 * so it may start here ({@link GuestMachine#resume}) instead of at the function's entry.
 *
 * <p>What it holds: the CPU there, the pages the guest and the traps' answers had written by then (the rest of memory
 * is as the call's set-up leaves it, which a resume repeats), the instructions counted up to and including the site's
 * translation block (the block is not counted again on resume), the loop watch's state, and the call's arguments. What
 * lives outside the machine (the hypervisor session, the hypercall log) is the caller's to carry. Made by
 * {@link GuestMachine#seekResumePoints}; valid for that machine and the start state the captured call ran from.
 * Holds native memory: close it.
 */
public final class ResumePoint implements AutoCloseable {
    private final long entry;
    private final long site;
    private final CpuContext cpu;
    private final RegisterSnapshot registers;
    private final Map<Long, byte[]> pages;
    private final long executed;
    private final LoopWatch.Mark watch;
    private final List<Argument> arguments;

    ResumePoint(long entry, long site, CpuContext cpu, RegisterSnapshot registers, Map<Long, byte[]> pages,
                long executed, LoopWatch.Mark watch, List<Argument> arguments) {
        this.entry = entry;
        this.site = site;
        this.cpu = cpu;
        this.registers = registers;
        this.pages = Map.copyOf(pages);
        this.executed = executed;
        this.watch = watch;
        this.arguments = List.copyOf(arguments);
    }

    /** {@return the address of the called function} */
    public long entry() {
        return entry;
    }

    /** {@return the address of the trap or BUG site the call stood at, before its hook ran} */
    public long site() {
        return site;
    }

    /** {@return the bytes of guest memory the point keeps (pages unchanged since the previous point are shared)} */
    public long pageBytes() {
        return (long) pages.size() * MemoryLayout.PAGE;
    }

    /** {@return the instructions the call had counted there (its translation blocks up to the site's, whole)} */
    public long instructionsExecuted() {
        return executed;
    }

    CpuContext cpu() {
        return cpu;
    }

    /**
     * The registers as read at the site. Written again after the saved context: a context saved while the emulator
     * runs holds x86 flags in its lazy form, which the next start would take for the whole RFLAGS (arithmetic flags and
     * DF lost).
     */
    RegisterSnapshot registers() {
        return registers;
    }

    /** The contents of the pages the guest had written, by page address. */
    Map<Long, byte[]> pages() {
        return pages;
    }

    LoopWatch.Mark watch() {
        return watch;
    }

    List<Argument> arguments() {
        return arguments;
    }

    /** Frees the saved CPU context. */
    @Override
    public void close() {
        cpu.close();
    }
}
