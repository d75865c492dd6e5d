package io.hvprobe.vmware.mouse;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The vmmouse device (spec §7): status, a bounded queue of 32-bit words and a scriptable event
 * source. Starts disabled (STATUS reads {@code 0xFFFF0000}) until the guest sends ENABLE.
 */
public final class VmMouse {
    /** Version id queued by ENABLE. */
    public static final long VERSION_ID = 0x3442554AL;
    /** Status of a disabled mouse. */
    public static final int STATUS_DISABLED = 0xFFFF;
    /** Button bits in word 0. */
    public static final int LEFT = 0x20;
    public static final int RIGHT = 0x10;
    public static final int MIDDLE = 0x08;
    /** Word-0 flag of a relative packet. */
    public static final int RELATIVE_PACKET = 0x0001_0000;

    private final int capacityWords;
    private final Deque<Long> queue = new ArrayDeque<>();
    private int status = STATUS_DISABLED;
    private boolean relative;
    private long restrict;

    /** A mouse whose queue holds at most {@code capacityWords} words. */
    public VmMouse(int capacityWords) {
        this.capacityWords = capacityWords;
    }

    /**
     * Queues an absolute packet (x, y in 0..0xFFFF). Returns false if the mouse is disabled, in
     * relative mode or the queue is full.
     */
    public boolean queueAbsolute(int buttons, int x, int y, int wheel) {
        if (relative) {
            return false;
        }
        return queuePacket(buttons & 0xFFFF, x & 0xFFFF, y & 0xFFFF, wheel);
    }

    /** Queues a relative packet with signed deltas; false if disabled, absolute, or full. */
    public boolean queueRelative(int buttons, int dx, int dy, int wheel) {
        if (!relative) {
            return false;
        }
        return queuePacket((buttons & 0xFFFF) | RELATIVE_PACKET, dx, dy, wheel);
    }

    private boolean queuePacket(long w0, long w1, long w2, int wheel) {
        if (!enabled() || queue.size() + 4 > capacityWords) {
            return false;
        }
        queue.addLast(w0 & 0xFFFF_FFFFL);
        queue.addLast(w1 & 0xFFFF_FFFFL);
        queue.addLast(w2 & 0xFFFF_FFFFL);
        queue.addLast((long) wheel & 0xFFFF_FFFFL);
        return true;
    }

    /** Whether the guest enabled the mouse. */
    public boolean enabled() {
        return status != STATUS_DISABLED;
    }

    /** Whether relative mode was requested. */
    public boolean relative() {
        return relative;
    }

    /** The last ABSPOINTER_RESTRICT value. */
    public long restrict() {
        return restrict;
    }

    /** Number of queued words. */
    public int queuedWords() {
        return queue.size();
    }

    /** STATUS: (status << 16) | queued words. */
    long statusWord() {
        return ((long) status << 16) | (queue.size() & 0xFFFF);
    }

    void enable() {
        status = 0;
        queue.clear();
        queue.addLast(VERSION_ID);
    }

    void disable() {
        status = STATUS_DISABLED;
        queue.clear();
    }

    void setRelative(boolean rel) {
        relative = rel;
    }

    void setRestrict(long value) {
        restrict = value;
    }

    long pop() {
        Long w = queue.pollFirst();
        return w == null ? 0 : w;
    }

    /** Makes the queue and mode equal to {@code other}'s (same capacity assumed). */
    public void copyFrom(VmMouse other) {
        queue.clear();
        queue.addAll(other.queue);
        status = other.status;
        relative = other.relative;
        restrict = other.restrict;
    }
}
