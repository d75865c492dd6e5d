package io.hvprobe.kvm.finding;

import io.hvprobe.spi.Finding;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@link Finding}s with the rule's default severity; evidence as alternating key/value pairs. */
public final class Findings {
    private Findings() {
    }

    /** A finding of {@code rule}, resting on what the rule's findings rest on. */
    public static Finding of(Rules rule, String message, Object... evidence) {
        if (evidence.length % 2 != 0) {
            throw new IllegalArgumentException("evidence needs key/value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < evidence.length; i += 2) {
            map.put(String.valueOf(evidence[i]), String.valueOf(evidence[i + 1]));
        }
        return new Finding(rule.id(), rule.defaultSeverity(), message, map, rule.restsOn());
    }

    /** {@code 0x...} for evidence and messages. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
