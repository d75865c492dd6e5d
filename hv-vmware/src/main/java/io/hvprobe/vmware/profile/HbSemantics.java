package io.hvprobe.vmware.profile;

/** What a high-bandwidth {@code rep insb/outsb} does to the string registers. */
public enum HbSemantics {
    /** VMware: only EAX and EBX change; RCX, RSI, RDI keep their values (spec §2.5, default). */
    VMWARE,
    /** Like a real {@code rep ins/outs}: RCX = 0, RSI/RDI advanced by the count. */
    ARCHITECTURAL
}
