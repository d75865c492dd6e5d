package io.hvprobe.verify;

/**
 * What a verified call's inputs and starting state are made of: given by the caller (a manifest scenario's
 * arguments, {@code hvprobe run --arg}, an API user's call), or invented because nothing better is known
 * ({@code hvprobe check}'s synthetic calls: made-up arguments, a fresh hypervisor session, the function run
 * without the protocol steps its real callers make first). Findings that rest on invented things are at most
 * notes (docs/verifier.md, "Invented inputs").
 *
 * @param inventedInputs    the arguments, and memory the run did not write, are invented
 * @param inventedPriorState the run starts from a fresh hypervisor session although the function's real callers
 *                          may have set up protocol state before it (START, OPEN, ...)
 * @param forcedPath        the run was steered: conditional branches were taken towards a trap site whatever their
 *                          condition (check's forced runs); every finding from it is at most a note
 */
public record Grounds(boolean inventedInputs, boolean inventedPriorState, boolean forcedPath) {

    /**
     * Grounds of an unsteered run.
     *
     * @param inventedInputs     the arguments, and memory the run did not write, are invented
     * @param inventedPriorState the run starts from a fresh hypervisor session its real callers would have set up
     */
    public Grounds(boolean inventedInputs, boolean inventedPriorState) {
        this(inventedInputs, inventedPriorState, false);
    }

    /**
     * These grounds on a forced path.
     *
     * @return a copy with {@code forcedPath} set; every finding of the run is then at most a note
     */
    public Grounds forced() {
        return new Grounds(inventedInputs, inventedPriorState, true);
    }

    /**
     * Inputs and starting state as the caller gave them: findings keep their severity.
     *
     * @return nothing invented, path not forced
     */
    public static Grounds given() {
        return new Grounds(false, false);
    }

    /**
     * Invented arguments and a fresh session for a function run alone (check's synthetic calls).
     *
     * @return invented inputs and prior state, path not forced
     */
    public static Grounds invented() {
        return new Grounds(true, true);
    }
}
