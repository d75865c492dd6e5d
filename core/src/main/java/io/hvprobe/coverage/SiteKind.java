package io.hvprobe.coverage;

/** What a trap site is, as {@code scan} tells them apart. */
public enum SiteKind {
    /** A hypercall instruction (backdoor port I/O, VMCALL, HVC, ...). */
    HYPERCALL,
    /** Port I/O on a port no hypervisor model answers hypercalls on, or whose port is not known statically. */
    DEVICE_IO
}
