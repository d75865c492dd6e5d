package io.hvprobe.vmware.entry;

/** Low-bandwidth (registers only) or high-bandwidth (guest buffer) call. */
public enum Bandwidth {
    /** Register-only call. */
    LB,
    /** Buffer transfer ({@code rep insb/outsb} or its hypercall equivalent). */
    HB
}
