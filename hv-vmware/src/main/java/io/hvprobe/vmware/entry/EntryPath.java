package io.hvprobe.vmware.entry;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.Arm64Register;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.arch.X86Register;

import java.util.List;

/** How a backdoor call entered the hypervisor. */
public enum EntryPath {
    /** x86 {@code IN}/{@code OUT} on 0x5658 or {@code REP INSB/OUTSB} on 0x5659 (also the balloon port). */
    IO_PORT(Arch.X86_64, "port", ArgRegisters.X86, List.of()),
    /** Intel {@code VMCALL} with DX flags. */
    VMCALL(Arch.X86_64, "vmcall", ArgRegisters.X86, List.of()),
    /** AMD {@code VMMCALL} with DX flags. */
    VMMCALL(Arch.X86_64, "vmmcall", ArgRegisters.X86, List.of()),
    /** Intel TDX {@code TDCALL} with VMware's vendor leaf (R12 magic, R13 command). */
    TDCALL(Arch.X86_64, "tdcall", ArgRegisters.TDX,
            List.of(X86Register.RAX, X86Register.RCX, X86Register.R10, X86Register.R11)),
    /** arm64 {@code MRS XZR, MDCCSR_EL0} with X7[63:32] = 0x86. */
    ARM64_MRS(Arch.ARM64, "mrs", ArgRegisters.ARM64, List.of(Arm64Register.X7)),
    /** arm64 {@code HVC #0x86}. */
    ARM64_HVC(Arch.ARM64, "hvc", ArgRegisters.ARM64, List.of(Arm64Register.X7)),
    /** arm64 {@code BRK #0x86}. */
    ARM64_BRK(Arch.ARM64, "brk", ArgRegisters.ARM64, List.of(Arm64Register.X7));

    private final Arch arch;
    private final String label;
    private final ArgRegisters registers;
    private final GuestRegister[] inputs;

    EntryPath(Arch arch, String label, ArgRegisters registers, List<GuestRegister> ownInputs) {
        this.arch = arch;
        this.label = label;
        this.registers = registers;
        java.util.ArrayList<GuestRegister> all = new java.util.ArrayList<>(registers.all());
        all.addAll(ownInputs);
        this.inputs = all.toArray(GuestRegister[]::new);
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

    /**
     * Every register the {@link EntryDecoder} reads of a trap it decodes to this path: the arguments, plus the
     * path's own (TDX's RAX, RCX exposure mask, R10 leaf and R11 function; arm64's X7 descriptor). With the trap's
     * form and detail they determine the decoded call (EntryPathInputsTest checks this).
     *
     * @return a new array of the registers
     */
    public GuestRegister[] inputs() {
        return inputs.clone();
    }

    /** Whether this path can carry high-bandwidth transfers. */
    public boolean supportsHb() {
        return this != TDCALL;
    }
}
