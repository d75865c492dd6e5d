package io.hvprobe.trace;

import io.hvprobe.dwarf.SourceLine;
import java.util.Optional;
import java.util.HexFormat;

/**
 * The static facts about one traced instruction address, worked out once per address.
 *
 * @param id       dense number of this address in the trace (0, 1, 2, ... in order of first execution); sinks
 *                 may index their own per-instruction caches with it
 * @param address  the instruction's address
 * @param location {@code symbol+0xNN}, or the hex address
 * @param bytes    the instruction's bytes
 * @param text     its disassembly
 * @param source   its source line and inline chain, when the trace asks for them and debug information has one
 */
public record InstructionInfo(int id, long address, String location, byte[] bytes, String text,
                              Optional<SourceLine> source) {

    public InstructionInfo {
        bytes = bytes.clone();
    }

    /** An instruction without a source line. */
    public InstructionInfo(int id, long address, String location, byte[] bytes, String text) {
        this(id, address, location, bytes, text, Optional.empty());
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes as space-separated hex pairs, e.g. {@code 0f 01 c1}. */
    public String hexBytes() {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }
}
