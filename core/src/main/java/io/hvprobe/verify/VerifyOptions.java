package io.hvprobe.verify;

import java.util.OptionalInt;
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
 *                       result), 64 for {@code long} and pointers; empty when the return type is unknown
 *                       (see {@link #returnWidthKnown()})
 */
public record VerifyOptions(int poisonRuns, long seed, int maxPathLength, Set<String> suppressed,
                            OptionalInt returnBits) {

    public VerifyOptions {
        suppressed = Set.copyOf(suppressed);
        if (poisonRuns < 0 || maxPathLength < 0) {
            throw new IllegalArgumentException("poison runs and path length must be >= 0");
        }
        if (returnBits.isPresent()) {
            int b = returnBits.getAsInt();
            if (b != 8 && b != 16 && b != 32 && b != 64) {
                throw new IllegalArgumentException("return width must be 8, 16, 32 or 64 bits: " + b);
            }
        }
    }

    /** Options for a function whose return type is unknown. */
    public VerifyOptions(int poisonRuns, long seed, int maxPathLength, Set<String> suppressed) {
        this(poisonRuns, seed, maxPathLength, suppressed, OptionalInt.empty());
    }

    /**
     * Two poison runs, seed 0x5eed, paths up to 250,000 instructions, nothing suppressed, return type unknown.
     * A recorded instruction keeps every register (about 150 bytes on x86_64, 280 on arm64), so the path limit
     * bounds the verifier's memory; hypercall wrappers and drivers run a few thousand instructions.
     */
    public static VerifyOptions defaults() {
        return new VerifyOptions(2, 0x5eed, DEFAULT_MAX_PATH_LENGTH, Set.of());
    }

    /** Default of {@link #maxPathLength()}. */
    public static final int DEFAULT_MAX_PATH_LENGTH = 250_000;

    /** With suppressions. */
    public VerifyOptions withSuppressed(Set<String> s) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, s, returnBits);
    }

    /** With the width of the function's return value (32 for {@code int}, 64 for {@code long} and pointers). */
    public VerifyOptions withReturnBits(int bits) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, suppressed, OptionalInt.of(bits));
    }

    /** With the return type unknown (the default). */
    public VerifyOptions withReturnWidthUnknown() {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, suppressed, OptionalInt.empty());
    }

    /** With another number of poison runs (0 disables the differential analysis). */
    public VerifyOptions withPoisonRuns(int runs) {
        return new VerifyOptions(runs, seed, maxPathLength, suppressed, returnBits);
    }

    /** With another poison seed (each seed gives other, equally deterministic poison values). */
    public VerifyOptions withSeed(long s) {
        return new VerifyOptions(poisonRuns, s, maxPathLength, suppressed, returnBits);
    }

    /**
     * Whether the return width is known. When it is not, a poisoned upper half that reaches only bits 63:32
     * of the return register is reported as a note: it is a bug only if the function returns a 64-bit type,
     * and a function returning {@code int} commonly leaves those bits as the hypervisor left them.
     */
    public boolean returnWidthKnown() {
        return returnBits.isPresent();
    }

    /** The part of the raw return register the caller sees (all of it when the width is unknown). */
    public long returnValue(long raw) {
        int bits = returnBits.orElse(64);
        return bits == 64 ? raw : raw & ((1L << bits) - 1);
    }

    /** Whether {@code rule} is suppressed for {@code function}. */
    public boolean isSuppressed(String rule, String function) {
        return suppressed.contains(rule) || suppressed.contains(rule + "@" + function);
    }
}
