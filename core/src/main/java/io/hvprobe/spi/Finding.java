package io.hvprobe.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * Something wrong (or noteworthy) that a hypervisor model or the verifier saw.
 * Where it happened is added by whoever records the finding (the hypercall log knows the site).
 *
 * @param ruleId   stable identifier, e.g. {@code vmware.magic-wrong}; reports and suppressions key on it
 * @param severity how serious it is
 * @param message  one human sentence
 * @param evidence named facts backing the message (register, expected, observed, ...), sorted by key
 */
public record Finding(String ruleId, Severity severity, String message, Map<String, String> evidence) {

    public Finding {
        if (ruleId == null || ruleId.isBlank()) {
            throw new IllegalArgumentException("finding needs a rule id");
        }
        evidence = java.util.Collections.unmodifiableMap(new TreeMap<>(evidence));
    }

    /** A finding without evidence. */
    public static Finding of(String ruleId, Severity severity, String message) {
        return new Finding(ruleId, severity, message, Map.of());
    }
}
