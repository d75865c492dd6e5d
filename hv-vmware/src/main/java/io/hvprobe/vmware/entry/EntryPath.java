package io.hvprobe.vmware.entry;

import io.hvprobe.arch.Arch;

/** How a backdoor call entered the hypervisor. */
public enum EntryPath {
    /** x86 {@code IN}/{@code OUT} on 0x5658 or {@code REP INSB/OUTSB} on 0x5659 (also the balloon port). */
    IO_PORT(Arch.X86_64, "port", ArgRegisters.X86),
    /** Intel {@code VMCALL} with DX flags. */
    VMCALL(Arch.X86_64, "vmcall", ArgRegisters.X86),
    /** AMD {@code VMMCALL} with DX flags. */
    VMMCALL(Arch.X86_64, "vmmcall", ArgRegisters.X86),
    /** Intel TDX {@code TDCALL} with VMware's vendor leaf (R12 magic, R13 command). */
    TDCALL(Arch.X86_64, "tdcall", ArgRegisters.TDX),
    /** arm64 {@code MRS XZR, MDCCSR_EL0} with X7[63:32] = 0x86. */
    ARM64_MRS(Arch.ARM64, "mrs", ArgRegisters.ARM64),
    /** arm64 {@code HVC #0x86}. */
    ARM64_HVC(Arch.ARM64, "hvc", ArgRegisters.ARM64),
    /** arm64 {@code BRK #0x86}. */
    ARM64_BRK(Arch.ARM64, "brk", ArgRegisters.ARM64);

    private final Arch arch;
    private final String label;
    private final ArgRegisters registers;

    EntryPath(Arch arch, String label, ArgRegisters registers) {
        this.arch = arch;
        this.label = label;
        this.registers = registers;
    }

    /** The architecture. */
    public Arch arch() {
        return arch;
    }

    /** Short lower-case label used in contract names, e.g. {@code port}. */
    public String label() {
        return label;
    }

    /** Where arg0..arg6 live on this path. */
    public ArgRegisters registers() {
        return registers;
    }

    /** Whether this path can carry high-bandwidth transfers. */
    public boolean supportsHb() {
        return this != TDCALL;
    }
}
