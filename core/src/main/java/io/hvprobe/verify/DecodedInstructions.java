package io.hvprobe.verify;

import io.hvprobe.arch.Arch;
import io.hvprobe.arch.GuestRegister;
import io.hvprobe.disasm.Instruction;
import io.hvprobe.disasm.RegisterAccess;
import io.hvprobe.disasm.WrittenRegisters;
import io.hvprobe.guest.GuestMachine;

import java.util.HashSet;
import java.util.Set;

/**
 * The instructions of a recorded path, decoded once each from the guest machine's memory, with the registers they
 * read and write. A path revisits the same addresses many times (loops, and every rule walks it), so the decode is
 * cached by address.
 */
final class DecodedInstructions implements WriteSets {
    private final GuestMachine machine;
    private final Arch arch;

    /**
     * An instruction with its register access, zero idioms applied (every rule asks for both at every step), and the
     * indexes of the registers it may write ({@link #mayWrite}).
     */
    private record Decoded(Instruction instruction, RegisterAccess access, int[] mayWrite) {
    }

    /**
     * Address → decoded instruction, open addressing on primitive keys: the rules ask once per path step and trap,
     * hundreds of thousands of times per verification, and a boxed-key map was the rules' largest cost.
     */
    private long[] keys = new long[256];
    private Decoded[] values = new Decoded[256];
    private int size;

    DecodedInstructions(GuestMachine machine) {
        this.machine = machine;
        this.arch = machine.arch();
    }

    /** Instruction at {@code address} (from the emulator's memory, cached). */
    Instruction instruction(long address) {
        return decoded(address).instruction();
    }

    /** Registers read/written by the instruction at {@code address}, zero idioms counted as writes only. */
    RegisterAccess access(long address) {
        return decoded(address).access();
    }

    /**
     * The registers the instruction at {@code address} may write, by {@link GuestRegister#index()}: the generous
     * superset of {@link WrittenRegisters}; null when the instruction has no decoded access or may change every
     * register. The program counter is left out (every instruction moves it).
     */
    @Override
    public int[] mayWrite(long address) {
        return decoded(address).mayWrite();
    }

    private Decoded decoded(long address) {
        int mask = keys.length - 1;
        int i = slot(address, mask);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == address) {
                return values[i];
            }
        }
        byte[] bytes = machine.tryRead(address, 16).orElseGet(() -> machine.read(address, 4));
        Instruction insn = machine.disassembler().decode(address, bytes);
        Decoded d = new Decoded(insn, access(insn), mayWrite(insn));
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(address, d);
        size++;
        return d;
    }

    private void insert(long address, Decoded d) {
        int mask = keys.length - 1;
        int i = slot(address, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = address;
        values[i] = d;
    }

    private void grow() {
        long[] oldKeys = keys;
        Decoded[] old = values;
        keys = new long[old.length * 2];
        values = new Decoded[old.length * 2];
        for (int i = 0; i < old.length; i++) {
            if (old[i] != null) {
                insert(oldKeys[i], old[i]);
            }
        }
    }

    private static int slot(long address, int mask) {
        return (int) ((address * 0x9E37_79B9_7F4A_7C15L) >>> 40) & mask;
    }

    private int[] mayWrite(Instruction insn) {
        long mask = WrittenRegisters.of(arch, insn);
        if (insn.access().isEmpty() || mask == WrittenRegisters.ALL) {
            return null;
        }
        mask &= ~(1L << arch.programCounter().index());
        int[] may = new int[Long.bitCount(mask)];
        for (int k = 0; k < may.length; k++) {
            may[k] = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
        }
        return may;
    }

    private RegisterAccess access(Instruction insn) {
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
