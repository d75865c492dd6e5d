package io.hvprobe.arch;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable copy of a guest's registers at one moment, indexed by {@link GuestRegister#index()}.
 */
public final class RegisterSnapshot {
    private final Arch arch;
    private final long[] values;

    private RegisterSnapshot(Arch arch, long[] values) {
        this.arch = arch;
        this.values = values;
    }

    /**
     * A snapshot of register values.
     *
     * @param arch   the architecture
     * @param values one value per register of {@code arch}, in {@link Arch#registers()} order (copied)
     * @return the snapshot
     * @throws IllegalArgumentException when {@code values} has another length
     */
    public static RegisterSnapshot of(Arch arch, long[] values) {
        if (values.length != arch.registers().size()) {
            throw new IllegalArgumentException(
                    arch + " snapshot needs " + arch.registers().size() + " values, got " + values.length);
        }
        return new RegisterSnapshot(arch, values.clone());
    }

    /** {@return the architecture} */
    public Arch arch() {
        return arch;
    }

    /**
     * Reads one register.
     *
     * @param register a register of this snapshot's architecture
     * @return its full 64-bit value
     * @throws IllegalArgumentException for a register of another architecture
     */
    public long get(GuestRegister register) {
        if (register.arch() != arch) {
            throw new IllegalArgumentException(register + " is not an " + arch + " register");
        }
        return values[register.index()];
    }

    /**
     * Reads the low half of one register, as the 32-bit ABIs (EAX, W0) see it.
     *
     * @param register a register of this snapshot's architecture
     * @return its low 32 bits, as an unsigned value
     */
    public long get32(GuestRegister register) {
        return get(register) & 0xFFFF_FFFFL;
    }

    /** {@return a copy of all values in snapshot order} */
    public long[] toArray() {
        return values.clone();
    }

    /**
     * Copies all values, in snapshot order, into an array the caller owns (reusing it, unlike {@link #toArray()}).
     *
     * @param into an array of at least {@code arch().registers().size()} elements; its first elements are overwritten
     * @throws IndexOutOfBoundsException when {@code into} is shorter
     */
    public void copyTo(long[] into) {
        System.arraycopy(values, 0, into, 0, values.length);
    }

    /**
     * Changes one register.
     *
     * @param register a register of this snapshot's architecture
     * @param value    its new 64-bit value
     * @return a copy of this snapshot with {@code register} set to {@code value}
     */
    public RegisterSnapshot with(GuestRegister register, long value) {
        long[] copy = values.clone();
        copy[register.index()] = value;
        return new RegisterSnapshot(arch, copy);
    }

    /**
     * Compares this snapshot with a later one of the same architecture.
     *
     * @param later the registers at a later moment
     * @return the registers whose value differs in {@code later}, with their new values, in snapshot order
     */
    public Map<GuestRegister, Long> changesTo(RegisterSnapshot later) {
        Map<GuestRegister, Long> changed = new LinkedHashMap<>();
        for (GuestRegister r : arch.registers()) {
            if (values[r.index()] != later.values[r.index()]) {
                changed.put(r, later.values[r.index()]);
            }
        }
        return changed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisterSnapshot s && s.arch == arch && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return arch.hashCode() * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(arch.name()).append('{');
        for (GuestRegister r : arch.registers()) {
            if (r.index() > 0) {
                b.append(' ');
            }
            b.append(r.displayName()).append("=0x").append(Long.toHexString(values[r.index()]));
        }
        return b.append('}').toString();
    }
}
