package io.hvprobe.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One entry of a rule catalogue (core's, or a plugin's): typically an enum constant that holds its
 * {@link RuleDescriptor}, the one place for the rule's id, severity, "rests on" and description.
 */
public interface CatalogueRule {
    /** {@return this rule as report metadata} */
    RuleDescriptor descriptor();

    /** {@return the stable rule id} */
    default String id() {
        return descriptor().id();
    }

    /** {@return the default severity (a profile may override a plugin's)} */
    default Severity defaultSeverity() {
        return descriptor().defaultSeverity();
    }

    /** {@return what findings of this rule rest on besides the guest code} */
    default Set<Dependency> restsOn() {
        return descriptor().restsOn();
    }

    /** {@return one sentence, as in docs/RULES.md} */
    default String description() {
        return descriptor().description();
    }

    /**
     * A finding of this rule with its default severity and what its findings rest on; {@code evidence} alternates
     * keys and values ({@code k1, v1, k2, v2, ...}).
     *
     * @param message  the finding's one-line message
     * @param evidence key/value pairs, each written with {@link String#valueOf(Object)}
     * @return the finding
     * @throws IllegalArgumentException if {@code evidence} has an odd number of elements
     */
    default Finding finding(String message, Object... evidence) {
        if (evidence.length % 2 != 0) {
            throw new IllegalArgumentException("evidence needs key/value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < evidence.length; i += 2) {
            map.put(String.valueOf(evidence[i]), String.valueOf(evidence[i + 1]));
        }
        return new Finding(id(), defaultSeverity(), message, map, restsOn());
    }
}
