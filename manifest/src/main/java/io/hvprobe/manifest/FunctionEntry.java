package io.hvprobe.manifest;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code functions:} entry of the manifest.
 *
 * @param index      position in the manifest's function list (for messages)
 * @param name       the exported symbol
 * @param unit       the object unit
 * @param variants   the variants whose objects hold the function
 * @param signature  the C prototype
 * @param returnBits 32 for {@code int}/{@code unsigned int} returns, 64 otherwise
 * @param args       the arguments in order
 * @param setup      model state the run needs, as the manifest names it ({@code vmmouse-packets}, {@code balloon-target})
 * @param base       expectations under the {@code vmware} profile
 * @param profiles   per-profile blocks ({@code qemu-vmport}, {@code vmware-port-only})
 * @param bug        the seeded bug's description (bugs only)
 * @param hypervisor the hypervisor model the entry is checked under ({@code hv:}; {@link Manifest#VMWARE} unless
 *                   named): a {@code vmware} entry runs under {@code vmware} and its {@code qemu-vmport}/
 *                   {@code vmware-port-only} blocks, any other model's entry under its {@code profiles:} only
 */
public record FunctionEntry(int index, String name, String unit, List<String> variants, String signature,
                            int returnBits, List<ArgumentSpec> args, Map<String, String> setup, Expectations base,
                            Map<String, Expectations> profiles, Optional<String> bug,
                            String hypervisor) {
    public FunctionEntry {
        variants = List.copyOf(variants);
        args = List.copyOf(args);
        setup = Map.copyOf(setup);
        profiles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(profiles));
    }

    /** Whether the entry runs under the VMware model (its base block is the {@code vmware} profile). */
    public boolean vmware() {
        return hypervisor.equals(Manifest.VMWARE);
    }

    /** Whether the entry is a seeded bug. */
    public boolean seededBug() {
        return bug.isPresent();
    }

    /** With other base expectations. */
    public FunctionEntry withBase(Expectations e) {
        return new FunctionEntry(index, name, unit, variants, signature, returnBits, args, setup, e, profiles, bug,
                hypervisor);
    }
}
