package io.hvprobe.vmware.entry;

/** Data direction of a backdoor call as the guest sees it. */
public enum Direction {
    /** Host to guest ({@code IN}, {@code INS}; hypercall flags without OUT). */
    IN,
    /** Guest to host ({@code OUT}, {@code OUTS}; hypercall OUT flag). */
    OUT
}
