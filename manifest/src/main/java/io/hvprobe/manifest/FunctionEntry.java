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
 */
public record FunctionEntry(int index, String name, String unit, List<String> variants, String signature,
                            int returnBits, List<ArgumentSpec> args, Map<String, String> setup, Expectations base,
                            Map<String, Expectations> profiles, Optional<String> bug) {
    public FunctionEntry {
        variants = List.copyOf(variants);
        args = List.copyOf(args);
        setup = Map.copyOf(setup);
        profiles = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(profiles));
    }

    /** Whether the entry is a seeded bug. */
    public boolean seededBug() {
        return bug.isPresent();
    }

    /** With other base expectations. */
    public FunctionEntry withBase(Expectations e) {
        return new FunctionEntry(index, name, unit, variants, signature, returnBits, args, setup, e, profiles, bug);
    }
}
