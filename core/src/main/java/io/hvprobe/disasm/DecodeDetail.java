package io.hvprobe.disasm;

/** How much a {@link Disassembler} works out per instruction. */
public enum DecodeDetail {
    /** Address, bytes, mnemonic and operand text only: {@link Instruction#access()} is empty. */
    TEXT,
    /** Text plus the registers read and written and whether memory is read or written. */
    REGISTERS
}
