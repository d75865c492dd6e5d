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
 * @param returnBits     how many low bits of the return register the caller sees (8, 16, 32 or 64): 32 for a
 *                       C function returning {@code int} (bits 63:32 of RAX/X0 are then not part of the
 *                       result), 64 when unknown
 */
public record VerifyOptions(int poisonRuns, long seed, int maxPathLength, Set<String> suppressed, int returnBits) {

    public VerifyOptions {
        suppressed = Set.copyOf(suppressed);
        if (poisonRuns < 0 || maxPathLength < 0) {
            throw new IllegalArgumentException("poison runs and path length must be >= 0");
        }
        if (returnBits != 8 && returnBits != 16 && returnBits != 32 && returnBits != 64) {
            throw new IllegalArgumentException("return width must be 8, 16, 32 or 64 bits: " + returnBits);
        }
    }

    /** Options for a function whose return width is unknown (the whole return register counts). */
    public VerifyOptions(int poisonRuns, long seed, int maxPathLength, Set<String> suppressed) {
        this(poisonRuns, seed, maxPathLength, suppressed, 64);
    }

    /** Two poison runs, seed 0x5eed, paths up to 2 M instructions, nothing suppressed, 64-bit return. */
    public static VerifyOptions defaults() {
        return new VerifyOptions(2, 0x5eed, 2_000_000, Set.of(), 64);
    }

    /** With suppressions. */
    public VerifyOptions withSuppressed(Set<String> s) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, s, returnBits);
    }

    /** With the width of the function's return value (32 for {@code int}, 64 for {@code long} and pointers). */
    public VerifyOptions withReturnBits(int bits) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, suppressed, bits);
    }

    /** With another number of poison runs (0 disables the differential analysis). */
    public VerifyOptions withPoisonRuns(int runs) {
        return new VerifyOptions(runs, seed, maxPathLength, suppressed, returnBits);
    }

    /** The part of the raw return register the caller sees. */
    public long returnValue(long raw) {
        return returnBits == 64 ? raw : raw & ((1L << returnBits) - 1);
    }

    /** Whether {@code rule} is suppressed for {@code function}. */
    public boolean isSuppressed(String rule, String function) {
        return suppressed.contains(rule) || suppressed.contains(rule + "@" + function);
    }
}
