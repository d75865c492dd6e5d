package io.hvprobe.kernel;

import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One row of the kernel-environment table: what calling {@code symbol} does.
 *
 * @param symbol    the external function, e.g. {@code __kmalloc_noprof}
 * @param behaviour what it does
 * @param roles     argument register index (0-based) per role, e.g. {@code size -> 0}
 * @param value     the value a {@link Behaviour#RETURN} entry returns
 * @param success   the value that means "it worked" for a {@link Behaviour#RETURN} entry whose usual answer is a
 *                  failure or not what a caller needs to go on (e.g. {@code mutex_trylock}: 1), for runs that steer
 *                  stub results towards success; empty when {@code value} already is success
 * @param scale     nanoseconds per unit ({@link Behaviour#DELAY}) or per returned unit ({@link Behaviour#CLOCK});
 *                  1 when not given
 * @param divisor   what the scaled amount is divided by (1 when not given), e.g. 4295 for {@code __const_udelay},
 *                  whose argument is microseconds times 2^32/10^6
 * @param level     the log level of a {@link Behaviour#LOG} entry, e.g. {@code err}; empty when the level comes
 *                  from the message or a {@code level} argument
 */
public record StubEntry(String symbol, Behaviour behaviour, Map<String, Integer> roles, long value,
                        OptionalLong success, long scale, long divisor,
                        String level) {
    /**
     * Checks that the roles fit the behaviour and copies them.
     *
     * @param symbol    the external function
     * @param behaviour what it does
     * @param roles     argument register index (0 to 7) per role (copied); every required role, no unknown one
     * @param value     the value a {@link Behaviour#RETURN} entry returns
     * @param success   the success value, empty when {@code value} already is success
     * @param scale     nanoseconds per unit, positive
     * @param divisor   what the scaled amount is divided by, positive
     * @param level     the log level of a {@link Behaviour#LOG} entry, or empty
     * @throws IllegalArgumentException for a missing or unknown role, a bad register index or a scale or divisor that
     *         is not positive
     */
    public StubEntry {
        roles = Map.copyOf(roles);
        if (scale <= 0 || divisor <= 0) {
            throw new IllegalArgumentException(symbol + ": scale and divisor must be positive");
        }
        for (String r : behaviour.requiredRoles()) {
            if (!roles.containsKey(r)) {
                throw new IllegalArgumentException(symbol + ": behaviour " + behaviour.tableName()
                        + " needs the argument '" + r + "'");
            }
        }
        for (var e : roles.entrySet()) {
            if (!behaviour.requiredRoles().contains(e.getKey()) && !behaviour.optionalRoles().contains(e.getKey())) {
                throw new IllegalArgumentException(symbol + ": behaviour " + behaviour.tableName()
                        + " has no argument '" + e.getKey() + "'");
            }
            if (e.getValue() < 0 || e.getValue() > 7) {
                throw new IllegalArgumentException(symbol + ": argument '" + e.getKey()
                        + "' must be a register index 0 to 7");
            }
        }
    }

    /**
     * The register index of {@code role}, if the entry gives it.
     *
     * @param role a role name such as {@code size}
     * @return the 0-based argument register index, or empty when the entry does not give the role
     */
    public OptionalInt role(String role) {
        Integer i = roles.get(role);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** The register index of a required {@code role}. */
    int required(String role) {
        return roles.get(role);
    }

    /**
     * The value a run steered towards success returns (for {@link Behaviour#RETURN}).
     *
     * @return {@link #success()} when given, otherwise {@link #value()}
     */
    public long successValue() {
        return success.orElse(value);
    }
}
