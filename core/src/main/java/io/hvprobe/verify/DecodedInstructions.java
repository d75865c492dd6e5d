package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.guest.GuestMachine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The instructions of a recorded path, decoded once each from the guest machine's memory, with the registers they
 * read and write. A path revisits the same addresses many times (loops, and every rule walks it), so the decode is
 * cached by address.
 */
final class DecodedInstructions {
    private final GuestMachine machine;
    private final Arch arch;
    private final Map<Long, Instruction> decoded = new HashMap<>();

    DecodedInstructions(GuestMachine machine) {
        this.machine = machine;
        this.arch = machine.arch();
    }

    /** Instruction at {@code address} (from the emulator's memory, cached). */
    Instruction instruction(long address) {
        return decoded.computeIfAbsent(address, a -> {
            byte[] bytes = machine.tryRead(a, 16).orElseGet(() -> machine.read(a, 4));
            return machine.disassembler().decode(a, bytes);
        });
    }

    /** Registers read/written by the instruction at {@code address}, zero idioms counted as writes only. */
    RegisterAccess access(long address) {
        Instruction insn = instruction(address);
        RegisterAccess a = insn.access().orElse(RegisterAccess.NONE);
        if (isZeroIdiom(insn)) {
            Set<GuestRegister> reads = new HashSet<>(a.reads());
            reads.removeAll(a.writes());
            reads.remove(arch.flags());
            return new RegisterAccess(reads, a.writes(), a.readsMemory(), a.writesMemory());
        }
        return a;
    }

    /** {@code xor eax, eax}, {@code sub rax, rax}, {@code eor w1, w1, w1}: no real read of the register. */
    private static boolean isZeroIdiom(Instruction insn) {
        String m = insn.mnemonic();
        if (!(m.equals("xor") || m.equals("sub") || m.equals("eor") || m.equals("pxor"))) {
            return false;
        }
        String[] ops = insn.operands().replace(" ", "").split(",");
        return ops.length >= 2 && ops[0].equals(ops[1]) && (ops.length == 2 || ops[2].equals(ops[0]));
    }
}
