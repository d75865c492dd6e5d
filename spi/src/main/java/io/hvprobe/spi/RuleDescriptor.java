package io.hvprobe.spi;

import java.util.EnumSet;
import java.util.Set;

/**
 * A finding rule a plugin or the verifier can raise, for report metadata (SARIF rules, docs).
 *
 * @param id              the stable rule id
 * @param defaultSeverity its default severity
 * @param description     one sentence
 * @param restsOn         what the rule's findings rest on besides the guest code (docs/RULES.md, "rests on")
 */
public record RuleDescriptor(String id, Severity defaultSeverity, String description, Set<Dependency> restsOn) {

    /** Copies {@code restsOn}, so the descriptor stays immutable. */
    public RuleDescriptor {
        restsOn = restsOn.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(restsOn));
    }

    /**
     * A rule whose findings rest on the guest code alone.
     *
     * @param id              the stable rule id
     * @param defaultSeverity its default severity
     * @param description     one sentence
     */
    public RuleDescriptor(String id, Severity defaultSeverity, String description) {
        this(id, defaultSeverity, description, Set.of());
    }
}
