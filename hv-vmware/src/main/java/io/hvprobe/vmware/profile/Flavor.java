package io.hvprobe.vmware.profile;

/** Whose observable behaviour a profile reproduces. */
public enum Flavor {
    /** VMware's own backdoor (spec §1–§7). */
    VMWARE,
    /** QEMU's {@code vmport}/{@code vmmouse} devices (spec §8). */
    QEMU
}
