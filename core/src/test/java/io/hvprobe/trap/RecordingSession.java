package io.hvprobe.trap;

import io.hvprobe.spi.GuestMemoryView;
import io.hvprobe.spi.HypervisorSession;
import io.hvprobe.spi.MemoryWrite;
import io.hvprobe.spi.RegisterWrite;
import io.hvprobe.spi.TrapEvent;
import io.hvprobe.spi.TrapOutcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Test plugin: records the events it sees (up to a limit, so loops stay flat) and answers each with a
 * scripted outcome.
 */
final class RecordingSession implements HypervisorSession {
    private final BiFunction<TrapEvent, GuestMemoryView, TrapOutcome> script;
    private final int keep;
    private final List<TrapEvent> events = new ArrayList<>();
    private long seen;

    private RecordingSession(BiFunction<TrapEvent, GuestMemoryView, TrapOutcome> script, int keep) {
        this.script = script;
        this.keep = keep;
    }

    /** Answers every trap with {@code script}. */
    static RecordingSession answering(BiFunction<TrapEvent, GuestMemoryView, TrapOutcome> script) {
        return new RecordingSession(script, 1000);
    }

    /** Answers every trap with these register writes. */
    static RecordingSession writing(RegisterWrite... writes) {
        return answering((e, m) -> handled(List.of(writes), List.of()));
    }

    /** Says "not mine" to everything. */
    static RecordingSession notMine() {
        return answering((e, m) -> TrapOutcome.NOT_MINE);
    }

    /** Keeps only the first {@code n} events (counting all). */
    RecordingSession keeping(int n) {
        return new RecordingSession(script, n);
    }

    static TrapOutcome.Handled handled(List<RegisterWrite> registers, List<MemoryWrite> memory) {
        return new TrapOutcome.Handled("TEST", registers, memory, List.of(), Optional.empty(), "scripted");
    }

    @Override
    public String profile() {
        return "test";
    }

    /** The answers come from a script and keep no protocol state: there is nothing to capture. */
    private enum NoState implements io.hvprobe.spi.SessionState { INSTANCE }

    @Override
    public io.hvprobe.spi.SessionState capture() {
        return NoState.INSTANCE;
    }

    @Override
    public void restore(io.hvprobe.spi.SessionState state) {
        if (state != NoState.INSTANCE) {
            throw new IllegalArgumentException("not a state of this session");
        }
    }

    @Override
    public TrapOutcome handle(TrapEvent event, GuestMemoryView memory) {
        seen++;
        if (events.size() < keep) {
            events.add(event);
        }
        return script.apply(event, memory);
    }

    List<TrapEvent> events() {
        return events;
    }

    /** The only event seen (fails otherwise). */
    TrapEvent single() {
        if (seen != 1) {
            throw new AssertionError("expected exactly one trap, the plugin saw " + seen + ": " + events);
        }
        return events.getFirst();
    }

    long seen() {
        return seen;
    }
}
