package io.hvprobe.kvm;

import io.hvprobe.kvm.profile.KvmProfile;
import io.hvprobe.kvm.smccc.SmcccContracts;
import io.hvprobe.kvm.smccc.SmcccFunction;
import io.hvprobe.kvm.x86.X86Hypercall;
import io.hvprobe.spi.CommandDescriptor;

import java.util.ArrayList;
import java.util.List;

/** The command catalogue: x86 hypercalls by number, then SMCCC functions (number -1; the ID is in the name). */
final class Catalog {
    private Catalog() {
    }

    static List<CommandDescriptor> of(KvmProfile profile) {
        List<CommandDescriptor> all = new ArrayList<>();
        for (X86Hypercall h : X86Hypercall.values()) {
            all.add(new CommandDescriptor(h.number(), h.displayName(), h.description(),
                    List.of(h.contract("vmcall"), h.contract("vmmcall"))));
        }
        for (SmcccFunction f : SmcccFunction.values()) {
            all.add(new CommandDescriptor(-1, f.name() + " " + f.id(), f.description() + " (SMCCC "
                    + profile.smccc().label() + ")", List.of(SmcccContracts.of(f, "hvc", profile.smccc()),
                    SmcccContracts.of(f, "smc", profile.smccc()))));
        }
        return all;
    }
}
