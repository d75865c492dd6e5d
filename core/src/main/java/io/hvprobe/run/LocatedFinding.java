package io.hvprobe.run;

import io.hvprobe.spi.Finding;

import java.util.Comparator;

/**
 * A {@link Finding} together with where it was made. Ordered deterministically.
 *
 * @param finding what was found
 * @param site    where it was made
 */
public record LocatedFinding(Finding finding, FindingSite site) implements Comparable<LocatedFinding> {

    private static final Comparator<LocatedFinding> ORDER = Comparator
            .comparing((LocatedFinding f) -> f.site().object())
            .thenComparing(f -> f.site().function())
            .thenComparingLong(f -> f.site().offset())
            .thenComparing(f -> f.site().variant())
            .thenComparing(f -> f.site().profile())
            .thenComparing(f -> f.finding().ruleId())
            .thenComparing(f -> f.finding().message());

    @Override
    public int compareTo(LocatedFinding o) {
        return ORDER.compare(this, o);
    }

    /** One readable line: where, then the finding ({@link FindingText#of(LocatedFinding)}). */
    @Override
    public String toString() {
        return FindingText.of(this);
    }
}
