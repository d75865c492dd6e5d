package io.hvprobe.guest;

import java.util.List;

/**
 * The state of a call at the first trap or BUG site it reached, taken where nothing but the guest's own instructions
 * had run since the call started (no kernel stub, handled trap or exception, hook write, kernel event or lenient
 * page): a rerun of the same call from the same start state whose hypervisor answers differ from the first run's only
 * from that trap on is the first run up to there, so it may start here ({@link GuestMachine#resume}) instead of at the
 * function's entry.
 *
 * <p>What the machine carries besides memory and CPU: the instructions counted up to and including the trap's
 * translation block (the block is not counted again on resume), the loop watch's state, and the call's arguments (for
 * its out-parameter buffers). Made by {@link GuestMachine#captureResumePoint}; valid for that machine and the start
 * state the captured call ran from. Holds native memory: close it.
 */
public final class ResumePoint implements AutoCloseable {
    private final long entry;
    private final long site;
    private final MachineSnapshot state;
    private final io.hvprobe.arch.RegisterSnapshot registers;
    private final long executed;
    private final LoopWatch.Mark watch;
    private final List<Argument> arguments;
    private final List<Long> bufferAddresses;

    ResumePoint(long entry, long site, MachineSnapshot state, io.hvprobe.arch.RegisterSnapshot registers, long executed,
                LoopWatch.Mark watch, List<Argument> arguments, List<Long> bufferAddresses) {
        this.entry = entry;
        this.site = site;
        this.state = state;
        this.registers = registers;
        this.executed = executed;
        this.watch = watch;
        this.arguments = List.copyOf(arguments);
        this.bufferAddresses = bufferAddresses;
    }

    /** {@return the address of the called function} */
    public long entry() {
        return entry;
    }

    /** {@return the address of the trap or BUG site the call stood at, before its hook ran} */
    public long site() {
        return site;
    }

    /** {@return the instructions the call had counted there (its translation blocks up to the site's, whole)} */
    public long instructionsExecuted() {
        return executed;
    }

    MachineSnapshot state() {
        return state;
    }

    /**
     * The registers as read at the site. Written again after the saved context: a context saved while the emulator
     * runs holds x86 flags in its lazy form, which the next start would take for the whole RFLAGS (arithmetic flags and
     * DF lost).
     */
    io.hvprobe.arch.RegisterSnapshot registers() {
        return registers;
    }

    LoopWatch.Mark watch() {
        return watch;
    }

    List<Argument> arguments() {
        return arguments;
    }

    List<Long> bufferAddresses() {
        return bufferAddresses;
    }

    /** Frees the saved CPU context. */
    @Override
    public void close() {
        state.close();
    }
}
