package io.hvprobe.kvm.finding;

import io.hvprobe.spi.Finding;

/** Builds {@link Finding}s with the rule's default severity; evidence as alternating key/value pairs. */
public final class Findings {
    private Findings() {
    }

    /** A finding of {@code rule}, resting on what the rule's findings rest on. */
    public static Finding of(Rules rule, String message, Object... evidence) {
        return rule.finding(message, evidence);
    }

    /** {@code 0x...} for evidence and messages. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
