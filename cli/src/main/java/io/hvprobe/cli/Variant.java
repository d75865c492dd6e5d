package io.hvprobe.cli;

import io.hvprobe.spi.TrapForm;

import java.util.EnumSet;
import java.util.Set;

/** The {@code --variant} labels and the trap forms each one implies. */
enum Variant {
    /** Port I/O (the VMware backdoor). */
    PORT(EnumSet.of(TrapForm.IN, TrapForm.OUT, TrapForm.INS, TrapForm.OUTS)),
    /** Intel VMCALL. */
    VMCALL(EnumSet.of(TrapForm.VMCALL)),
    /** AMD VMMCALL. */
    VMMCALL(EnumSet.of(TrapForm.VMMCALL)),
    /** Intel TDX TDCALL. */
    TDX(EnumSet.of(TrapForm.TDCALL)),
    /** arm64 MRS of the trapped system register. */
    MRS(EnumSet.of(TrapForm.MRS)),
    /** arm64 HVC. */
    HVC(EnumSet.of(TrapForm.HVC));

    private final Set<TrapForm> forms;

    Variant(Set<TrapForm> forms) {
        this.forms = forms;
    }

    /** The trap forms this variant's code uses. */
    Set<TrapForm> forms() {
        return forms;
    }
}
