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
 * @param workBudget     the work one verified function may cost, summed over its first run and all reruns
 *                       (differential, bisection): executed instructions plus {@value #HYPERCALL_WORK} per
 *                       hypercall (handling one costs about as much as that many emulated instructions). Once it
 *                       is spent, no further rerun starts and the function gets a {@link #WORK_BUDGET_RULE} note;
 *                       the findings proven so far stay. 0 = unlimited
 */
public record VerifyOptions(int poisonRuns, long seed, int maxPathLength, Set<String> suppressed,
                            OptionalInt returnBits, long workBudget) {

    /** Work units one hypercall counts for in {@link #workBudget()}. */
    public static final long HYPERCALL_WORK = 1_000;

    /**
     * Default of {@link #workBudget()}: 200 M units, e.g. 20 runs of 10 M instructions, or a function making 120,000
     * hypercalls analysed in about 1.6 runs' worth of reruns. Measured: any function finishes within 30 s on a
     * 2-core machine (docs/verifier.md, "Bounded work").
     */
    public static final long DEFAULT_WORK_BUDGET = 200_000_000;

    /** Rule of the note a function gets when its work budget ended the analysis early. */
    public static final String WORK_BUDGET_RULE = io.hvprobe.run.CoreRule.WORK_BUDGET.id();

    /**
     * Checks the counts and the return width and copies {@code suppressed}.
     *
     * @param poisonRuns    differential runs with poisoned registers, 0 or more
     * @param seed          seed of the poison values
     * @param maxPathLength most executed instructions recorded for path analyses, 0 or more
     * @param suppressed    suppressions: {@code RULE} or {@code RULE@FUNCTION} (copied)
     * @param returnBits    8, 16, 32 or 64, or empty when the return type is unknown
     * @param workBudget    the work one verified function may cost, 0 or more; 0 = unlimited
     * @throws IllegalArgumentException when a count is negative or the return width is another number
     */
    public VerifyOptions {
        suppressed = Set.copyOf(suppressed);
        if (poisonRuns < 0 || maxPathLength < 0 || workBudget < 0) {
            throw new IllegalArgumentException("poison runs, path length and work budget must be >= 0");
        }
        if (returnBits.isPresent()) {
            int b = returnBits.getAsInt();
            if (b != 8 && b != 16 && b != 32 && b != 64) {
                throw new IllegalArgumentException("return width must be 8, 16, 32 or 64 bits: " + b);
            }
        }
    }

    /**
     * Options for a function whose return type is unknown, with the default work budget.
     *
     * @param poisonRuns    differential runs with poisoned registers, 0 or more
     * @param seed          seed of the poison values
     * @param maxPathLength most executed instructions recorded for path analyses, 0 or more
     * @param suppressed    suppressions: {@code RULE} or {@code RULE@FUNCTION} (copied)
     * @throws IllegalArgumentException when a count is negative
     */
    public VerifyOptions(int poisonRuns, long seed, int maxPathLength, Set<String> suppressed) {
        this(poisonRuns, seed, maxPathLength, suppressed, OptionalInt.empty(), DEFAULT_WORK_BUDGET);
    }

    /**
     * Two poison runs, seed 0x5eed, paths up to 250,000 instructions, nothing suppressed, return type unknown, the
     * default work budget.
     * A recorded instruction keeps every register (about 150 bytes on x86_64, 280 on arm64), so the path limit
     * bounds the verifier's memory; hypercall wrappers and drivers run a few thousand instructions.
     *
     * @return the defaults
     */
    public static VerifyOptions defaults() {
        return new VerifyOptions(2, 0x5eed, DEFAULT_MAX_PATH_LENGTH, Set.of());
    }

    /** Default of {@link #maxPathLength()}. */
    public static final int DEFAULT_MAX_PATH_LENGTH = 250_000;

    /**
     * With suppressions.
     *
     * @param s suppressions: {@code RULE} or {@code RULE@FUNCTION}; they replace this one's
     * @return a copy with {@code s} as its suppressions
     */
    public VerifyOptions withSuppressed(Set<String> s) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, s, returnBits, workBudget);
    }

    /**
     * With the width of the function's return value (32 for {@code int}, 64 for {@code long} and pointers).
     *
     * @param bits 8, 16, 32 or 64
     * @return a copy with that return width
     * @throws IllegalArgumentException for another width
     */
    public VerifyOptions withReturnBits(int bits) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, suppressed, OptionalInt.of(bits), workBudget);
    }

    /**
     * With the return type unknown (the default).
     *
     * @return a copy with no return width
     */
    public VerifyOptions withReturnWidthUnknown() {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, suppressed, OptionalInt.empty(), workBudget);
    }

    /**
     * With another number of poison runs (0 disables the differential analysis).
     *
     * @param runs poison runs, 0 or more
     * @return a copy with that many poison runs
     * @throws IllegalArgumentException when {@code runs} is negative
     */
    public VerifyOptions withPoisonRuns(int runs) {
        return new VerifyOptions(runs, seed, maxPathLength, suppressed, returnBits, workBudget);
    }

    /**
     * With another work budget per function (0 = unlimited).
     *
     * @param units work units (instructions plus {@value #HYPERCALL_WORK} per hypercall), 0 or more
     * @return a copy with that budget
     * @throws IllegalArgumentException when {@code units} is negative
     */
    public VerifyOptions withWorkBudget(long units) {
        return new VerifyOptions(poisonRuns, seed, maxPathLength, suppressed, returnBits, units);
    }

    /**
     * With another poison seed (each seed gives other, equally deterministic poison values).
     *
     * @param s the seed; any value
     * @return a copy with that seed
     */
    public VerifyOptions withSeed(long s) {
        return new VerifyOptions(poisonRuns, s, maxPathLength, suppressed, returnBits, workBudget);
    }

    /**
     * Whether the return width is known. When it is not, a poisoned upper half that reaches only bits 63:32
     * of the return register is reported as a note: it is a bug only if the function returns a 64-bit type,
     * and a function returning {@code int} commonly leaves those bits as the hypervisor left them.
     *
     * @return whether {@link #returnBits()} is present
     */
    public boolean returnWidthKnown() {
        return returnBits.isPresent();
    }

    /**
     * The part of the raw return register the caller sees (all of it when the width is unknown).
     *
     * @param raw the full 64-bit return register (RAX or X0)
     * @return its low {@link #returnBits()} bits, zero-extended; {@code raw} itself when the width is unknown
     */
    public long returnValue(long raw) {
        int bits = returnBits.orElse(64);
        return bits == 64 ? raw : raw & ((1L << bits) - 1);
    }

    /**
     * Whether {@code rule} is suppressed for {@code function}.
     *
     * @param rule     a rule id
     * @param function the function's symbol name
     * @return whether the suppressions name {@code rule} alone or {@code rule@function}
     */
    public boolean isSuppressed(String rule, String function) {
        return suppressed.contains(rule) || suppressed.contains(rule + "@" + function);
    }
}
