package io.hvprobe.vmware.platform;

import io.hvprobe.vmware.time.GuestClock;

import java.util.OptionalLong;

/** RDPMC pseudo-counters 0x10000..0x10003 (spec §1.8), from the model's clock. */
public final class PseudoPmc {
    private static final String[] NAMES = {"HW_TSC", "REAL_NS", "APPARENT_NS", "PSEUDO_TSC"};

    private final GuestClock clock;

    /** Counters over {@code clock}. */
    public PseudoPmc(GuestClock clock) {
        this.clock = clock;
    }

    /** Whether {@code index} is a pseudo-PMC: {@code (index | 3) == 0x10003}. */
    public static boolean isPseudoPmc(long index) {
        return (index | 3) == 0x10003L;
    }

    /** The counter's name, e.g. {@code HW_TSC}. */
    public static String name(long index) {
        return NAMES[(int) (index & 3)];
    }

    /** The value of pseudo-PMC {@code index}, empty if it is not one. */
    public OptionalLong read(long index) {
        if (!isPseudoPmc(index)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(switch ((int) (index & 3)) {
            case 0, 3 -> clock.tsc();
            default -> clock.uptimeNanos();
        });
    }
}
