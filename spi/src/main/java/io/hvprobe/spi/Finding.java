package io.hvprobe.spi;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Something wrong (or noteworthy) that a hypervisor model or the verifier saw.
 * Where it happened is added by whoever records the finding (the hypercall log knows the site).
 *
 * @param ruleId    stable identifier, e.g. {@code vmware.magic-wrong}; reports and suppressions key on it
 * @param severity  how serious it is when its dependencies are real
 * @param message   one human sentence
 * @param evidence  named facts backing the message (register, expected, observed, ...), sorted by key
 * @param dependsOn what besides the guest code the finding rests on (empty: it holds whatever the inputs and
 *                  the prior state); the verifier lowers it to a note when the run invented that
 */
public record Finding(String ruleId, Severity severity, String message, Map<String, String> evidence,
                      Set<Dependency> dependsOn) {

    public Finding {
        if (ruleId == null || ruleId.isBlank()) {
            throw new IllegalArgumentException("finding needs a rule id");
        }
        evidence = java.util.Collections.unmodifiableMap(new TreeMap<>(evidence));
        dependsOn = dependsOn.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(dependsOn));
    }

    /** A finding that holds whatever the inputs and the prior state. */
    public Finding(String ruleId, Severity severity, String message, Map<String, String> evidence) {
        this(ruleId, severity, message, evidence, Set.of());
    }

    /** A finding without evidence. */
    public static Finding of(String ruleId, Severity severity, String message) {
        return new Finding(ruleId, severity, message, Map.of());
    }

    /** This finding, resting also on {@code more}. */
    public Finding dependingOn(Dependency... more) {
        Set<Dependency> d = EnumSet.noneOf(Dependency.class);
        d.addAll(dependsOn);
        d.addAll(java.util.List.of(more));
        return new Finding(ruleId, severity, message, evidence, d);
    }

    /** This finding with another severity (a profile's override), dependencies kept. */
    public Finding withSeverity(Severity s) {
        return new Finding(ruleId, s, message, evidence, dependsOn);
    }

    /**
     * One readable line: {@code error: message [rule] (evidence: key=value, ...; rests on: ...)}, the parts in
     * parentheses only when there are any.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(severity.name().toLowerCase(java.util.Locale.ROOT)).append(": ")
                .append(message).append(" [").append(ruleId).append(']');
        java.util.List<String> details = new java.util.ArrayList<>();
        if (!evidence.isEmpty()) {
            details.add("evidence: " + String.join(", ", evidence.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        if (!dependsOn.isEmpty()) {
            details.add("rests on: " + String.join(", ", dependsOn.stream()
                    .map(d -> d.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).toList()));
        }
        if (!details.isEmpty()) {
            b.append(" (").append(String.join("; ", details)).append(')');
        }
        return b.toString();
    }

    /** This finding with other evidence, dependencies kept. */
    public Finding withEvidence(Map<String, String> e) {
        return new Finding(ruleId, severity, message, e, dependsOn);
    }
}
