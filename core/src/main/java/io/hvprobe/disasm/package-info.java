/**
 * Disassembly of guest code over Capstone 4 ({@code libcapstone.so.4}): single-instruction decoding with a
 * per-address cache, linear sweeps that step over undecodable bytes, and the registers each instruction
 * reads and writes, mapped to {@link io.hvprobe.arch.GuestRegister}.
 *
 * <p>Entry point: {@link io.hvprobe.disasm.Disassembler#open(io.hvprobe.arch.Arch)}.
 */
package io.hvprobe.disasm;
