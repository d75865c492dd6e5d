package io.hvprobe.spi;

/**
 * What a finding's truth rests on besides the guest code. A finding with no dependency holds whatever the
 * function's inputs and whatever happened before the run; one that depends on something here holds only if
 * that something is real — a run whose inputs or prior state were invented (e.g. {@code hvprobe check}'s
 * synthetic calls) reports it as a note that says so (docs/verifier.md, "Invented inputs").
 */
public enum Dependency {
    /**
     * The values the guest passed at the trap (the register named by the evidence key {@code register}, or the
     * memory it points at): a command number, a channel id, a size, an address. Such a value may come from the
     * function's arguments or from memory the run did not write.
     */
    INPUT_VALUES,
    /**
     * Protocol state from before the run: the model saw no START, OPEN, SENDSIZE ... in this session, which a
     * caller that ran the protocol's earlier steps first would have set up.
     */
    PROTOCOL_STATE
}
