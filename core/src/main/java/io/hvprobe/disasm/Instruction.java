package io.hvprobe.disasm;

import java.util.HexFormat;
import java.util.Optional;

/**
 * One decoded instruction, or a data pseudo-instruction ({@code .byte}, {@code .inst}) standing for bytes that
 * do not decode.
 *
 * @param address  where the instruction starts
 * @param bytes    its bytes (length = instruction length)
 * @param mnemonic e.g. {@code in}, {@code rep insb}, {@code .byte}
 * @param operands operand text, e.g. {@code eax, dx}; empty when there are none
 * @param data     true for a pseudo-instruction covering undecodable bytes
 * @param access   registers and memory read and written; empty when the disassembler was opened with
 *                 {@link DecodeDetail#TEXT} or for data
 */
public record Instruction(long address, byte[] bytes, String mnemonic, String operands, boolean data,
                          Optional<RegisterAccess> access) {

    public Instruction {
        bytes = bytes.clone();
        if (bytes.length == 0) {
            throw new IllegalArgumentException("an instruction has at least one byte");
        }
    }

    /** The instruction's bytes (a copy). */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Length in bytes. */
    public int length() {
        return bytes.length;
    }

    /** The address just after this instruction. */
    public long end() {
        return address + bytes.length;
    }

    /** Mnemonic and operands as one line, e.g. {@code in eax, dx}. */
    public String text() {
        return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
    }

    /** True when {@code code[offset..]} starts with exactly this instruction's bytes. */
    public boolean matches(byte[] code, int offset) {
        if (offset < 0 || code.length - offset < bytes.length) {
            return false;
        }
        return java.util.Arrays.equals(bytes, 0, bytes.length, code, offset, offset + bytes.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instruction i && i.address == address && java.util.Arrays.equals(i.bytes, bytes)
                && i.mnemonic.equals(mnemonic) && i.operands.equals(operands) && i.data == data
                && i.access.equals(access);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(address) * 31 + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(address) + ": " + HexFormat.of().formatHex(bytes) + "  " + text();
    }
}
