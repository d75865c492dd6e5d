package io.hvprobe.vmware.time;

import io.hvprobe.spi.MemoryWrite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The STEALCLOCK area of the (single) vCPU: where it is and the stolen time to publish there. The
 * area is a guest physical address; the model assumes guest physical = guest virtual (identity).
 */
public final class StealClock {
    /** Required area alignment and size. */
    public static final int AREA_BYTES = 64;

    private OptionalLong area = OptionalLong.empty();
    private long stolenCycles;
    private boolean dirty;

    /** The enabled area's address, if enabled. */
    public OptionalLong area() {
        return area;
    }

    /** Stolen time in virtual-TSC cycles. */
    public long stolenCycles() {
        return stolenCycles;
    }

    /** Enables the area and returns the write publishing the current value. */
    public MemoryWrite enable(long address) {
        area = OptionalLong.of(address);
        dirty = false;
        return counterWrite(address);
    }

    /** Disables the area. */
    public void disable() {
        area = OptionalLong.empty();
        dirty = false;
    }

    /** Sets the stolen time; published into an enabled area with the next handled call. */
    public void setStolenCycles(long cycles) {
        if (cycles < stolenCycles) {
            throw new IllegalArgumentException("stolen time only grows");
        }
        stolenCycles = cycles;
        dirty = true;
    }

    /** The pending publication of a changed value, if the area is enabled and the value changed. */
    public Optional<MemoryWrite> takePendingUpdate() {
        if (!dirty || area.isEmpty()) {
            return Optional.empty();
        }
        dirty = false;
        return Optional.of(counterWrite(area.getAsLong()));
    }

    private MemoryWrite counterWrite(long address) {
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(stolenCycles).array();
        return new MemoryWrite(address, b);
    }

    /** Makes this state equal to {@code other}'s. */
    public void copyFrom(StealClock other) {
        area = other.area;
        stolenCycles = other.stolenCycles;
        dirty = other.dirty;
    }
}
