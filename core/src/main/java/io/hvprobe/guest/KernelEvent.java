package io.hvprobe.guest;

/**
 * Something the kernel around the guest code saw during a call: a log line the code printed, a WARN it hit,
 * a device access no plugin claimed, a heap misuse. Events are the run's kernel log; none is a finding by itself.
 *
 * @param kind     what happened
 * @param location symbol+offset of the code that caused it (the caller of a stub, the trap, the WARN)
 * @param text     one line, bounded ({@link #MAX_TEXT} characters)
 */
public record KernelEvent(Kind kind, String location, String text) {
    /** Longest text kept; longer lines are cut and end with {@code ...}. */
    public static final int MAX_TEXT = 1024;

    /** Categories of kernel events. */
    public enum Kind {
        /** A printk/dev_* / drm_* log line. */
        LOG,
        /** The kernel's WARN(): the code went on. */
        WARN,
        /** The kernel's BUG(): the call ended. */
        BUG,
        /** Port I/O no hypervisor plugin claimed, answered as a plain device. */
        DEVICE_IO,
        /** Heap misuse (freeing memory the heap did not hand out) or an allocation it refused. */
        HEAP,
        /** A line a user-space program wrote to its standard output (C library environment). */
        STDOUT,
        /** A line a user-space program wrote to its standard error (C library environment). */
        STDERR,
        /** A signal delivered to the handler a user-space program installed for its fault (C library environment). */
        SIGNAL
    }

    /**
     * Cuts {@code text} to {@link #MAX_TEXT} characters.
     *
     * @param kind     what happened
     * @param location symbol+offset of the code that caused it
     * @param text     one line; a longer one is cut and ends with {@code ...}
     */
    public KernelEvent {
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT - 3) + "...";
        }
    }

    /** {@code [warn] vmw_probe+0x1c: text}. */
    @Override
    public String toString() {
        return "[" + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "] " + location + ": " + text;
    }
}
