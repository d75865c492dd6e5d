package io.hvprobe.spi;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What one command (on one entry path) does to the registers: which bits it reads, which registers
 * it writes with a defined value, which the ABI lets it change without defining the value, and —
 * by omission — which it leaves untouched (all 64 bits).
 *
 * @param command a name for the command and entry path, e.g. {@code GETVERSION (port)}
 * @param arch    the architecture
 * @param roles   per-register roles; registers not listed are inputs of nothing and preserved
 */
public record RegisterContract(String command, Arch arch, Map<GuestRegister, Role> roles) {

    /** What happens to a register's value across the trap. */
    public enum Effect {
        /** All 64 bits keep their value. */
        PRESERVED,
        /** The hypervisor writes a defined value ({@link Role#writeWidth()} bits, zero-extended). */
        WRITTEN,
        /** The ABI permits the hypervisor to change it, but defines no value. */
        MAY_CHANGE
    }

    /**
     * One register's role.
     *
     * @param inputMask  bits the hypervisor reads (0 = not an input)
     * @param effect     what happens to the value
     * @param writeWidth width of the write for {@link Effect#WRITTEN} (32 zero-extends), else 0
     * @param meaning    short description, e.g. {@code magic} or {@code out1 = product type}
     */
    public record Role(long inputMask, Effect effect, int writeWidth, String meaning) {
        /** {@return whether the hypervisor reads any bit of it} */
        public boolean isInput() {
            return inputMask != 0;
        }
    }

    /** Checks that every register is one of {@code arch}'s and copies {@code roles} in their order. */
    public RegisterContract {
        for (GuestRegister r : roles.keySet()) {
            if (r.arch() != arch) {
                throw new IllegalArgumentException(r + " in an " + arch + " contract");
            }
        }
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    /**
     * The role of one register in this contract.
     *
     * @param register a register of this contract's architecture
     * @return its role; a register the contract does not list is preserved and not an input
     */
    public Role role(GuestRegister register) {
        Role r = roles.get(register);
        return r != null ? r : new Role(0, Effect.PRESERVED, 0, "");
    }

    /** {@return registers the hypervisor reads} */
    public Set<GuestRegister> inputs() {
        return select(r -> r.isInput());
    }

    /** {@return registers written with a defined value} */
    public Set<GuestRegister> written() {
        return select(r -> r.effect() == Effect.WRITTEN);
    }

    /** {@return registers the hypervisor may change without defining the value} */
    public Set<GuestRegister> mayChange() {
        return select(r -> r.effect() == Effect.MAY_CHANGE);
    }

    /** {@return registers whose value may differ after the trap (written or may-change)} */
    public Set<GuestRegister> clobbered() {
        return select(r -> r.effect() != Effect.PRESERVED);
    }

    private Set<GuestRegister> select(java.util.function.Predicate<Role> p) {
        return roles.entrySet().stream().filter(e -> p.test(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /**
     * Starts a contract; its registers keep the order in which they are added.
     *
     * @param command the command the contract is for, e.g. {@code GETVERSION}
     * @param arch    the architecture of its registers
     * @return an empty builder
     */
    public static Builder builder(String command, Arch arch) {
        return new Builder(command, arch);
    }

    /** Builds a {@link RegisterContract}. */
    public static final class Builder {
        private final String command;
        private final Arch arch;
        private final Map<GuestRegister, Role> roles = new LinkedHashMap<>();

        private Builder(String command, Arch arch) {
            this.command = command;
            this.arch = arch;
        }

        /**
         * Adds a register the hypervisor reads and leaves unchanged.
         *
         * @param r       the register
         * @param mask    the bits the hypervisor reads
         * @param meaning what the register carries, for reports
         * @return this builder
         */
        public Builder input(GuestRegister r, long mask, String meaning) {
            roles.put(r, new Role(mask, Effect.PRESERVED, 0, meaning));
            return this;
        }

        /**
         * Adds a register the hypervisor writes with a defined value.
         *
         * @param r         the register
         * @param inputMask the bits the hypervisor also reads before writing, 0 when it is not an input
         * @param width     how many bits the write defines (8, 16, 32 or 64)
         * @param meaning   what the register carries, for reports
         * @return this builder
         */
        public Builder written(GuestRegister r, long inputMask, int width, String meaning) {
            roles.put(r, new Role(inputMask, Effect.WRITTEN, width, meaning));
            return this;
        }

        /**
         * Adds a register the hypervisor may change without defining its value.
         *
         * @param r         the register
         * @param inputMask the bits the hypervisor also reads, 0 when it is not an input
         * @param meaning   what the register carries, for reports
         * @return this builder
         */
        public Builder mayChange(GuestRegister r, long inputMask, String meaning) {
            roles.put(r, new Role(inputMask, Effect.MAY_CHANGE, 0, meaning));
            return this;
        }

        /** {@return the contract} */
        public RegisterContract build() {
            return new RegisterContract(command, arch, roles);
        }
    }
}
