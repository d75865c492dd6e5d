package io.hvprobe.trace;

/** Which registers a trace prints after each instruction. */
public enum RegisterMode {
    /** Only registers whose value the instruction changed (the program counter is never listed). */
    CHANGED,
    /** Every register after every instruction. */
    ALL
}
