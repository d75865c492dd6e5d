package io.hvprobe.spi;

import io.hvprobe.arch.Arch;

/** Every instruction form hvprobe intercepts as a possible hypercall. */
public enum TrapForm {
    /** x86 {@code IN} (port in DX or immediate). */
    IN(Arch.X86_64),
    /** x86 {@code OUT} (port in DX or immediate). */
    OUT(Arch.X86_64),
    /** x86 {@code INSB/INSW/INSD}, with or without {@code REP}. */
    INS(Arch.X86_64),
    /** x86 {@code OUTSB/OUTSW/OUTSD}, with or without {@code REP}. */
    OUTS(Arch.X86_64),
    /** Intel {@code VMCALL} (0F 01 C1). */
    VMCALL(Arch.X86_64),
    /** AMD {@code VMMCALL} (0F 01 D9). */
    VMMCALL(Arch.X86_64),
    /** Intel TDX {@code TDCALL} (66 0F 01 CC). */
    TDCALL(Arch.X86_64),
    /** x86 {@code CPUID}. */
    CPUID(Arch.X86_64),
    /** x86 {@code RDPMC} (pseudo-PMC backdoor). */
    RDPMC(Arch.X86_64),
    /** arm64 {@code HVC #imm}. */
    HVC(Arch.ARM64),
    /** arm64 {@code SMC #imm}. */
    SMC(Arch.ARM64),
    /** arm64 {@code BRK #imm}. */
    BRK(Arch.ARM64),
    /** arm64 trapped system-register read ({@code MRS}). */
    MRS(Arch.ARM64),
    /** arm64 trapped system-register write ({@code MSR}). */
    MSR(Arch.ARM64);

    private final Arch arch;

    TrapForm(Arch arch) {
        this.arch = arch;
    }

    /** The architecture this form exists on. */
    public Arch arch() {
        return arch;
    }
}
