package io.hvprobe.kvm.state;

/**
 * The TRNG's bits: SplitMix64 from the profile's seed, so a run's random bytes are the same every time and a captured
 * session hands out the same bytes again after a restore.
 */
public final class EntropySource {
    private long state;

    /** A source seeded with {@code seed}. */
    public EntropySource(long seed) {
        this.state = seed;
    }

    /** The next 64 bits. */
    public long next() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Makes this source equal to {@code other}. */
    public void copyFrom(EntropySource other) {
        state = other.state;
    }
}
