package io.hvprobe.verify;

import java.util.Set;

/**
 * How thoroughly {@link Verifier} checks a function.
 *
 * @param poisonRuns     differential runs with poisoned undefined registers (0 disables the analysis)
 * @param seed           seed of the poison values (runs are deterministic for a seed)
 * @param maxPathLength  most executed instructions recorded for path analyses; longer paths are analysed
 *                       up to this point (the result says so)
 * @param suppressed     suppressions: {@code RULE} or {@code RULE@FUNCTION}
 */
public record VerifyOptions(int poisonRuns, long seed, int maxPathLength, Set<String> suppressed) {

    public VerifyOptions {
        suppressed = Set.copyOf(suppressed);
        if (poisonRuns < 0 || maxPathLength < 0) {
            throw new IllegalArgumentException("poison runs and path length must be >= 0");
        }
    }

    /** Two poison runs, seed 0x5eed, paths up to 2 M instructions, nothing suppressed. */
    public static VerifyOptions defaults() {
        return new VerifyOptions(2, 0x5eed, 2_000_000, Set.of());
    }

    /** With suppressions. */
    public VerifyOptions withSuppressed(Set<String> s) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, s);
    }

    /** Whether {@code rule} is suppressed for {@code function}. */
    public boolean isSuppressed(String rule, String function) {
        return suppressed.contains(rule) || suppressed.contains(rule + "@" + function);
    }
}
