package io.hvprobe.trap;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The arm64 system registers whose {@code MRS}/{@code MSR} accesses count as traps, each with the name used
 * in disassembly and events. Immutable; {@link #with} returns a new set.
 */
public final class TrappedSystemRegisters {
    private static final TrappedSystemRegisters NONE = new TrappedSystemRegisters(Map.of());
    private static final TrappedSystemRegisters DEFAULTS = NONE.with(SystemRegisterId.MDCCSR_EL0, "mdccsr_el0");

    private final Map<SystemRegisterId, String> names;

    private TrappedSystemRegisters(Map<SystemRegisterId, String> names) {
        this.names = names;
    }

    /**
     * Only {@code MDCCSR_EL0}.
     *
     * @return the set the VMware arm64 backdoor needs
     */
    public static TrappedSystemRegisters defaults() {
        return DEFAULTS;
    }

    /**
     * No system register traps.
     *
     * @return the empty set
     */
    public static TrappedSystemRegisters none() {
        return NONE;
    }

    /**
     * This set plus {@code register}, named {@code name} (lower case, e.g. {@code cntvct_el0}).
     *
     * @param register the register
     * @param name     its lower-case name
     * @return a new set; this one is unchanged
     */
    public TrappedSystemRegisters with(SystemRegisterId register, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("system register " + register.genericName() + " needs a name");
        }
        Map<SystemRegisterId, String> copy = new LinkedHashMap<>(names);
        copy.put(register, name.trim().toLowerCase(java.util.Locale.ROOT));
        return new TrappedSystemRegisters(java.util.Collections.unmodifiableMap(copy));
    }

    /**
     * True when accesses to {@code register} trap.
     *
     * @param register a register
     * @return whether accesses to it trap
     */
    public boolean contains(SystemRegisterId register) {
        return names.containsKey(register);
    }

    /**
     * The name of a trapped register.
     *
     * @param register a register
     * @return its name, or empty when it does not trap
     */
    public Optional<String> name(SystemRegisterId register) {
        return Optional.ofNullable(names.get(register));
    }

    /** {@return all trapped registers with their names, in the order added (immutable)} */
    public Map<SystemRegisterId, String> registers() {
        return names;
    }

    @Override
    public String toString() {
        return "TrappedSystemRegisters" + names.values();
    }
}
