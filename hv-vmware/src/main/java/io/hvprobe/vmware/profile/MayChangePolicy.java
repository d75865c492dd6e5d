package io.hvprobe.vmware.profile;

/** Which registers a contract marks as {@code MAY_CHANGE} besides the ones it writes. */
public enum MayChangePolicy {
    /** Only the defined outputs change; everything else is preserved (spec §5, default). */
    DEFINED_OUTPUTS,
    /**
     * open-vm-tools' statement (spec §2.4): LB may change RAX..RDI (arm64 X0..X5), HB may change
     * RAX..RDI (arm64 X0..X6); balloon may change EDX and ESI.
     */
    OPEN_VM_TOOLS
}
