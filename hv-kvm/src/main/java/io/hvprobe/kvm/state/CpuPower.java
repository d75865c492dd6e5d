package io.hvprobe.kvm.state;

/** Which vCPUs are on (PSCI CPU_ON, CPU_OFF, AFFINITY_INFO): CPU 0, which runs the guest code, starts on. */
public final class CpuPower {
    private final int cpus;
    private long on = 1;

    /** {@code cpus} vCPUs, only CPU 0 on. */
    public CpuPower(int cpus) {
        this.cpus = cpus;
    }

    /** Whether vCPU {@code index} exists. */
    public boolean exists(long index) {
        return index >= 0 && index < cpus;
    }

    /** Whether vCPU {@code index} is on. */
    public boolean isOn(long index) {
        return exists(index) && (on & (1L << index)) != 0;
    }

    /** Turns vCPU {@code index} on or off. */
    public void set(long index, boolean power) {
        if (exists(index)) {
            on = power ? on | (1L << index) : on & ~(1L << index);
        }
    }

    /** Makes this state equal to {@code other}. */
    public void copyFrom(CpuPower other) {
        on = other.on;
    }
}
