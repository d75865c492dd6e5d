package io.hvprobe.spi;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.RegisterSnapshot;

/**
 * One execution of a trapping instruction, as the hypervisor model sees it: immutable.
 *
 * @param sequence         position in the run's hypercall log, from 0
 * @param form             the instruction form
 * @param pc               address of the trapping instruction (its first prefix byte on x86)
 * @param instructionBytes the instruction's bytes, prefixes included (length = instruction length); shared by the
 *                         traps of one site
 * @param disassembly      the instruction as text, e.g. {@code in eax, dx}
 * @param location         symbol+offset of {@code pc}, e.g. {@code vmw_probe+0x1c}, or the hex address
 * @param registers        general registers, PC and flags before the instruction executes
 * @param detail           form-specific facts
 */
public record TrapEvent(long sequence, TrapForm form, long pc, InstructionBytes instructionBytes, String disassembly,
                        String location, RegisterSnapshot registers, TrapDetail detail) {

    /** Checks that the form and registers agree. */
    public TrapEvent {
        if (form.arch() != registers.arch()) {
            throw new IllegalArgumentException(form + " trap with " + registers.arch() + " registers");
        }
    }

    /**
     * An event with the instruction's bytes given as an array.
     *
     * @param sequence    position in the run's hypercall log, from 0
     * @param form        the instruction form
     * @param pc          address of the trapping instruction
     * @param bytes       the instruction's bytes, prefixes included (copied)
     * @param disassembly the instruction as text
     * @param location    symbol+offset of {@code pc}, or the hex address
     * @param registers   general registers, PC and flags before the instruction executes
     * @param detail      form-specific facts
     */
    public TrapEvent(long sequence, TrapForm form, long pc, byte[] bytes, String disassembly, String location,
                     RegisterSnapshot registers, TrapDetail detail) {
        this(sequence, form, pc, InstructionBytes.of(bytes), disassembly, location, registers, detail);
    }

    /** {@return the guest architecture} */
    public Arch arch() {
        return registers.arch();
    }

    /** {@return the instruction's length in bytes} */
    public int length() {
        return instructionBytes.length();
    }

    /**
     * Whether {@code other} trapped on the same instruction bytes: the hypercall log asks this of every trap, to tell
     * a site rewritten in place from the one it knows.
     *
     * @param other another trap
     * @return whether both events' bytes are equal
     */
    public boolean sameBytes(TrapEvent other) {
        return instructionBytes.equals(other.instructionBytes);
    }

    /** {@return a copy of the instruction's bytes, prefixes included} */
    public byte[] bytes() {
        return instructionBytes.toArray();
    }
}
