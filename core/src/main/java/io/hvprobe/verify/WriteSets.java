package io.hvprobe.verify;

/**
 * Which registers the instruction at an address may write: what the path recorder reads after it instead of every
 * register ({@link PathRecorder}). A wrong answer cannot make a path wrong, only make the recorder fall back to
 * reading every register: it checks the registers it did not read wherever it reads them all.
 */
@FunctionalInterface
interface WriteSets {
    /**
     * The indexes ({@link io.hvprobe.arch.GuestRegister#index()}) of the registers the instruction at {@code address}
     * may write, the program counter left out; null when not known (every register is read after it).
     */
    int[] mayWrite(long address);
}
