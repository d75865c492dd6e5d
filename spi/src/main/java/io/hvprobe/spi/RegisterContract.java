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
        /** Whether the hypervisor reads any bit of it. */
        public boolean isInput() {
            return inputMask != 0;
        }
    }

    public RegisterContract {
        for (GuestRegister r : roles.keySet()) {
            if (r.arch() != arch) {
                throw new IllegalArgumentException(r + " in an " + arch + " contract");
            }
        }
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    /** The role of {@code register}: preserved non-input when not listed. */
    public Role role(GuestRegister register) {
        Role r = roles.get(register);
        return r != null ? r : new Role(0, Effect.PRESERVED, 0, "");
    }

    /** Registers the hypervisor reads. */
    public Set<GuestRegister> inputs() {
        return select(r -> r.isInput());
    }

    /** Registers written with a defined value. */
    public Set<GuestRegister> written() {
        return select(r -> r.effect() == Effect.WRITTEN);
    }

    /** Registers the hypervisor may change without defining the value. */
    public Set<GuestRegister> mayChange() {
        return select(r -> r.effect() == Effect.MAY_CHANGE);
    }

    /** Registers whose value may differ after the trap (written or may-change). */
    public Set<GuestRegister> clobbered() {
        return select(r -> r.effect() != Effect.PRESERVED);
    }

    private Set<GuestRegister> select(java.util.function.Predicate<Role> p) {
        return roles.entrySet().stream().filter(e -> p.test(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** A builder, registers in the order they are added. */
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

        /** Input only, value preserved. */
        public Builder input(GuestRegister r, long mask, String meaning) {
            roles.put(r, new Role(mask, Effect.PRESERVED, 0, meaning));
            return this;
        }

        /** Written with a defined value of {@code width} bits (may also be an input: {@code inputMask}). */
        public Builder written(GuestRegister r, long inputMask, int width, String meaning) {
            roles.put(r, new Role(inputMask, Effect.WRITTEN, width, meaning));
            return this;
        }

        /** May change, undefined value (may also be an input: {@code inputMask}). */
        public Builder mayChange(GuestRegister r, long inputMask, String meaning) {
            roles.put(r, new Role(inputMask, Effect.MAY_CHANGE, 0, meaning));
            return this;
        }

        /** The contract. */
        public RegisterContract build() {
            return new RegisterContract(command, arch, roles);
        }
    }
}
