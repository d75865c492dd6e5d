package io.hvprobe.trace;

/**
 * What a {@link Tracer} records.
 *
 * @param registers      changed registers only, or all of them
 * @param memory         record guest memory writes (one hook on all memory; slower)
 * @param hypercallsOnly emit only hypercall enter/exit records (instructions are still counted)
 * @param limit          stop the call cleanly after this many instructions (0 = no limit)
 * @param source         attach each instruction's source line and inline chain from the object's debug information
 */
public record TraceOptions(RegisterMode registers, boolean memory, boolean hypercallsOnly, long limit,
                           boolean source) {

    /** Options without source lines. */
    public TraceOptions(RegisterMode registers, boolean memory, boolean hypercallsOnly, long limit) {
        this(registers, memory, hypercallsOnly, limit, false);
    }

    public TraceOptions {
        if (limit < 0) {
            throw new IllegalArgumentException("trace limit must be >= 0: " + limit);
        }
    }

    /** Changed registers, no memory writes, every instruction, no limit. */
    public static TraceOptions defaults() {
        return new TraceOptions(RegisterMode.CHANGED, false, false, 0);
    }

    /** With another register mode. */
    public TraceOptions withRegisters(RegisterMode mode) {
        return new TraceOptions(mode, memory, hypercallsOnly, limit, source);
    }

    /** With memory writes recorded or not. */
    public TraceOptions withMemory(boolean on) {
        return new TraceOptions(registers, on, hypercallsOnly, limit, source);
    }

    /** With only hypercall records, or everything. */
    public TraceOptions withHypercallsOnly(boolean on) {
        return new TraceOptions(registers, memory, on, limit, source);
    }

    /** With an instruction limit (0 = none). */
    public TraceOptions withLimit(long n) {
        return new TraceOptions(registers, memory, hypercallsOnly, n, source);
    }

    /** With source lines attached to instructions, or not. */
    public TraceOptions withSource(boolean on) {
        return new TraceOptions(registers, memory, hypercallsOnly, limit, on);
    }
}
