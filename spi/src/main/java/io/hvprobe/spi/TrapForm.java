package io.hvprobe.spi;

import io.hvprobe.arch.Arch;

/**
 * Every instruction form hvprobe intercepts as a possible hypercall. A new form names its architecture and its
 * {@link Category} here; every switch over forms is exhaustive, so the compiler points at each place that must
 * handle it.
 */
public enum TrapForm {
    /** x86 {@code IN} (port in DX or immediate). */
    IN(Arch.X86_64, Category.PORT_IO),
    /** x86 {@code OUT} (port in DX or immediate). */
    OUT(Arch.X86_64, Category.PORT_IO),
    /** x86 {@code INSB/INSW/INSD}, with or without {@code REP}. */
    INS(Arch.X86_64, Category.PORT_IO),
    /** x86 {@code OUTSB/OUTSW/OUTSD}, with or without {@code REP}. */
    OUTS(Arch.X86_64, Category.PORT_IO),
    /** Intel {@code VMCALL} (0F 01 C1). */
    VMCALL(Arch.X86_64, Category.HYPERCALL),
    /** AMD {@code VMMCALL} (0F 01 D9). */
    VMMCALL(Arch.X86_64, Category.HYPERCALL),
    /** Intel TDX {@code TDCALL} (66 0F 01 CC). */
    TDCALL(Arch.X86_64, Category.HYPERCALL),
    /** x86 {@code CPUID}. */
    CPUID(Arch.X86_64, Category.CPU_QUERY),
    /** x86 {@code RDPMC} (pseudo-PMC backdoor). */
    RDPMC(Arch.X86_64, Category.CPU_QUERY),
    /** arm64 {@code HVC #imm}. */
    HVC(Arch.ARM64, Category.EXCEPTION_CALL),
    /** arm64 {@code SMC #imm}. */
    SMC(Arch.ARM64, Category.EXCEPTION_CALL),
    /** arm64 {@code BRK #imm}. */
    BRK(Arch.ARM64, Category.EXCEPTION_CALL),
    /** arm64 trapped system-register read ({@code MRS}). */
    MRS(Arch.ARM64, Category.SYSTEM_REGISTER),
    /** arm64 trapped system-register write ({@code MSR}). */
    MSR(Arch.ARM64, Category.SYSTEM_REGISTER);

    /** What kind of instruction a form is, which decides how a trap of it is decoded and counted. */
    public enum Category {
        /** Device I/O on an x86 port ({@code IN}, {@code OUT}, string I/O): a backdoor when a model claims the port. */
        PORT_IO,
        /** A dedicated x86 hypercall instruction ({@code VMCALL}, {@code VMMCALL}, {@code TDCALL}). */
        HYPERCALL,
        /**
         * An x86 instruction that asks the CPU about itself ({@code CPUID}, {@code RDPMC}): the hypervisor may answer
         * it, but it is no backdoor call (manifests and {@code --variant} do not count it).
         */
        CPU_QUERY,
        /** An arm64 exception-generating instruction ({@code HVC}, {@code SMC}, {@code BRK}). */
        EXCEPTION_CALL,
        /** An arm64 trapped system-register access ({@code MRS}, {@code MSR}). */
        SYSTEM_REGISTER
    }

    private final Arch arch;
    private final Category category;

    TrapForm(Arch arch, Category category) {
        this.arch = arch;
        this.category = category;
    }

    /** {@return the architecture this form exists on} */
    public Arch arch() {
        return arch;
    }

    /** {@return what kind of instruction this form is} */
    public Category category() {
        return category;
    }
}
