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
    private int aliveSignals;

    /** Queues a command for the guest. */
    public void queue(String command) {
        pending.addLast(command);
    }

    /** Commands not yet fetched by the guest. */
    public List<String> pending() {
        return List.copyOf(pending);
    }

    /** Completed exchanges in order. */
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
        } else if (exchanges.size() < MAX_RECORDED) {
            exchanges.add(new Exchange(command, reply));
        }
    }
}
