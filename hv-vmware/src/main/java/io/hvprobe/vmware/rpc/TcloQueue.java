package io.hvprobe.vmware.rpc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Host-to-guest TCLO commands waiting for the tools loop, and the guest's answers. */
public final class TcloQueue {
    /**
     * One completed TCLO exchange.
     *
     * @param command what the host sent, e.g. {@code reset}
     * @param reply   what the guest answered, e.g. {@code OK ATR toolbox}
     */
    public record Exchange(String command, String reply) {
    }

    private static final int MAX_RECORDED = 10_000;

    private final Deque<String> pending = new ArrayDeque<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final long maxRecordedChars;
    private long recordedChars;
    private int aliveSignals;

    /**
     * A queue that records at most 10000 exchanges and {@code maxRecordedChars} characters of them (the guest
     * chooses the length of its answers).
     */
    public TcloQueue(long maxRecordedChars) {
        this.maxRecordedChars = maxRecordedChars;
    }

    /** Queues a command for the guest. */
    public void queue(String command) {
        pending.addLast(command);
    }

    /** Commands not yet fetched by the guest. */
    public List<String> pending() {
        return List.copyOf(pending);
    }

    /** Completed exchanges in order (the first that fit the limits). */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Guest sends that answered no command (the loop's "I am alive" messages). */
    public int aliveSignals() {
        return aliveSignals;
    }

    String poll() {
        return pending.pollFirst();
    }

    void guestSent(String command, String reply) {
        if (command == null) {
            aliveSignals++;
        } else if (exchanges.size() < MAX_RECORDED
                && recordedChars + command.length() + reply.length() <= maxRecordedChars) {
            exchanges.add(new Exchange(command, reply));
            recordedChars += command.length() + reply.length();
        }
    }

    /** Makes the queue and the recorded exchanges equal to {@code other}'s. */
    public void copyFrom(TcloQueue other) {
        pending.clear();
        pending.addAll(other.pending);
        exchanges.clear();
        exchanges.addAll(other.exchanges);
        recordedChars = other.recordedChars;
        aliveSignals = other.aliveSignals;
    }
}
