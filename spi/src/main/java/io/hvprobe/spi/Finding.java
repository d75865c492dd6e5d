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

    /** Requires a rule id, sorts the evidence by key and copies both sets, so the finding stays immutable. */
    public Finding {
        if (ruleId == null || ruleId.isBlank()) {
            throw new IllegalArgumentException("finding needs a rule id");
        }
        evidence = java.util.Collections.unmodifiableMap(new TreeMap<>(evidence));
        dependsOn = dependsOn.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(dependsOn));
    }

    /**
     * A finding that holds whatever the inputs and the prior state.
     *
     * @param ruleId   the stable rule id
     * @param severity how serious it is
     * @param message  one sentence saying what is wrong
     * @param evidence named facts backing the message
     */
    public Finding(String ruleId, Severity severity, String message, Map<String, String> evidence) {
        this(ruleId, severity, message, evidence, Set.of());
    }

    /**
     * A finding without evidence that holds whatever the inputs and the prior state.
     *
     * @param ruleId   the stable rule id
     * @param severity how serious it is
     * @param message  one sentence saying what is wrong
     * @return the finding
     */
    public static Finding of(String ruleId, Severity severity, String message) {
        return new Finding(ruleId, severity, message, Map.of());
    }

    /**
     * Records more of what the finding rests on besides the guest code.
     *
     * @param more further dependencies
     * @return a copy of this finding resting on its dependencies and {@code more}
     */
    public Finding dependingOn(Dependency... more) {
        Set<Dependency> d = EnumSet.noneOf(Dependency.class);
        d.addAll(dependsOn);
        d.addAll(java.util.List.of(more));
        return new Finding(ruleId, severity, message, evidence, d);
    }

    /**
     * Changes the severity, as a profile's override does.
     *
     * @param s the new severity
     * @return a copy of this finding with severity {@code s}, everything else kept
     */
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

    /**
     * Replaces the evidence.
     *
     * @param e the new named facts
     * @return a copy of this finding with evidence {@code e}, everything else kept
     */
    public Finding withEvidence(Map<String, String> e) {
        return new Finding(ruleId, severity, message, e, dependsOn);
    }
}
