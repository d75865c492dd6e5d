package io.hvprobe.unicorn;

/** Why {@link Unicorn#emuStart} returned without an error. */
public enum StopReason {
    /** The program counter reached the {@code until} address. */
    REACHED_END,
    /** {@link Unicorn#emuStop()} was called (typically from a hook). */
    STOP_REQUESTED,
    /** The timeout elapsed ({@code uc_query(UC_QUERY_TIMEOUT)}). */
    TIMEOUT,
    /**
     * The instruction-count limit was reached. (Unicorn does not say so; it is inferred when nothing else
     * explains the stop. On x86 a stop right after an instruction whose last byte is {@code F4} reads as a
     * {@code hlt}, {@link #OTHER}.)
     */
    COUNT_EXHAUSTED,
    /**
     * An {@link InvalidInstructionHook} returned true. Unicorn 2.0.1 ends the run right there (without error,
     * the program counter where the hook left it); call {@code emuStart(uc.pc(), ...)} to continue.
     */
    INVALID_INSTRUCTION_HANDLED,
    /** Unicorn ended emulation by itself without an error, e.g. on x86 {@code hlt} (the PC is after it). */
    OTHER
}
