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
 * @param returnBits     width of the function's return value (8, 16, 32 or 64): differential runs compare
 *                       only these bits of the return register, since callers ignore the rest (an {@code int}
 *                       function leaves bits 63:32 of RAX undefined by the C ABI)
 */
public record VerifyOptions(int poisonRuns, long seed, int maxPathLength, Set<String> suppressed, int returnBits) {

    public VerifyOptions {
        suppressed = Set.copyOf(suppressed);
        if (returnBits != 8 && returnBits != 16 && returnBits != 32 && returnBits != 64) {
            throw new IllegalArgumentException("return width must be 8, 16, 32 or 64 bits: " + returnBits);
        }
        if (poisonRuns < 0 || maxPathLength < 0) {
            throw new IllegalArgumentException("poison runs and path length must be >= 0");
        }
    }

    /** Two poison runs, seed 0x5eed, paths up to 2 M instructions, nothing suppressed, 64-bit returns. */
    public static VerifyOptions defaults() {
        return new VerifyOptions(2, 0x5eed, 2_000_000, Set.of(), 64);
    }

    /** With suppressions. */
    public VerifyOptions withSuppressed(Set<String> s) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, s, returnBits);
    }

    /** With the return value's width in bits. */
    public VerifyOptions withReturnBits(int bits) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, suppressed, bits);
    }

    /** With another number of poison runs (0 disables the differential analysis). */
    public VerifyOptions withPoisonRuns(int runs) {
        return new VerifyOptions(runs, seed, maxPathLength, suppressed, returnBits);
    }

    /** Whether {@code rule} is suppressed for {@code function}. */
    public boolean isSuppressed(String rule, String function) {
        return suppressed.contains(rule) || suppressed.contains(rule + "@" + function);
    }
}
