package io.hvprobe.spi;

import java.util.Set;

/**
 * One entry of a rule catalogue (core's, or a plugin's): typically an enum constant that holds its
 * {@link RuleDescriptor}, the one place for the rule's id, severity, "rests on" and description.
 */
public interface CatalogueRule {
    /** This rule as report metadata. */
    RuleDescriptor descriptor();

    /** The stable rule id. */
    default String id() {
        return descriptor().id();
    }

    /** The default severity (a profile may override a plugin's). */
    default Severity defaultSeverity() {
        return descriptor().defaultSeverity();
    }

    /** What findings of this rule rest on besides the guest code. */
    default Set<Dependency> restsOn() {
        return descriptor().restsOn();
    }

    /** One sentence, as in docs/RULES.md. */
    default String description() {
        return descriptor().description();
    }
}
