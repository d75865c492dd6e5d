/**
 * Instruction-level tracing of guest calls: a {@link io.hvprobe.trace.Tracer} hooks every executed instruction
 * of a machine's executable segments and streams each instruction with its register deltas, optional memory
 * writes and the hypercalls around it to a {@link io.hvprobe.trace.TraceSink} (text or JSON Lines writers).
 * Traces are deterministic: the same object, function and arguments give byte-identical output.
 */
package io.hvprobe.trace;
